from tests.proposals.fixtures import browse_as, cast  # noqa: F401
