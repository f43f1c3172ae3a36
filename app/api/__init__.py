"""HTTP routes: thin, each validates, calls one service function and returns its result."""
