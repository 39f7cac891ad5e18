"""Phone-size screenshots of every page and of the key moments (`make screenshots`).

Tooling for designers and engineers, not a test: pytest collects no file here (none is named
``test_*``). ``python -m tests.screenshots --help`` lists the options.
"""
