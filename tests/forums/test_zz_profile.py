import cProfile, pstats, io
from django.urls import reverse
from forums import services
from forums.models import Post, Reaction
def test_profile(client_for, people, forum, settings):
    settings.FORUMS_HOLD_FIRST_POSTS = 0
    thread = services.thread_create(author=people["peer_supporter"], category=forum["staying_well"], title="Walks", body="A walk helps")
    for n in range(59):
        services.post_create(author=people["volunteer"], thread=thread, body=f"Reply {n} with **some** text and a link https://example.org/{n}")
    client = client_for(people["member"])
    url = reverse("forums:thread", kwargs={"pk": thread.pk}) + "?page=2"
    client.get(url)
    pr = cProfile.Profile(); pr.enable()
    for _ in range(20):
        assert client.get(url).status_code == 200
    pr.disable()
    s = io.StringIO(); pstats.Stats(pr, stream=s).sort_stats("cumulative").print_stats(45); print(s.getvalue()[:9000])
    s = io.StringIO(); pstats.Stats(pr, stream=s).sort_stats("tottime").print_stats(25); print(s.getvalue()[:5000])
