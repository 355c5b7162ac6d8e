"""Who may do what, sessions and cookies, CSRF, headers, login throttling, the fuzzer, the supply chain."""
