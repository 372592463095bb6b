	.file	"x.c"
	.text
f:
#APP
	.incbin "/etc/passwd"
#NO_APP
lab: .macro m
