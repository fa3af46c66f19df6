def test_home_renders(client):
    response = client.get("/")
    assert response.status_code == 200
    assert b"Ruam" in response.data


def test_healthz(client):
    assert client.get("/healthz").get_json() == {"status": "ok", "database": "ok"}


def test_factories(make, db):
    group = make.group(voting_members=3)
    proposal = make.proposal(group=group)
    assert proposal.id and len(group.seats) == 3
