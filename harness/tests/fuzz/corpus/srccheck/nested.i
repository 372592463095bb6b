__attribute__((__attribute__((section("a")))))  [[ [[ ]] ]] <:<: :>:> %: ident "x"
#pragma GCC pch_preprocess "x"
