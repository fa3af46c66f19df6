from tests.proposals.fixtures import cast  # noqa: F401
