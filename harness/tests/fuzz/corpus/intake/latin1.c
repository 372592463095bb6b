int x; /* café [2J Â› */
