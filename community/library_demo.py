"""Demo library for `manage.py seed_demo`: topics and a dozen resources across kinds and
audiences. Videos are embeds with transcripts, so pages render without a network."""

from __future__ import annotations

from community import library
from community.demo import CARERS
from community.models import Resource, Space, Topic, User

TOPICS = [
    ("staying-well", "Staying well"), ("relationships", "Relationships"),
    ("setbacks", "Setbacks"), ("for-carers", "For carers"), ("after-dit", "After DIT"),
    ("after-ipt", "After IPT"),
]

ARTICLE = Resource.Kind.ARTICLE
VIDEO = Resource.Kind.VIDEO
LINK = Resource.Kind.LINK
EVERYONE = Resource.Audience.EVERYONE
CARERS_ONLY = Resource.Audience.CARERS

RESOURCES = [
    (ARTICLE, EVERYONE, ["staying-well"], "Keeping your weekly hour",
     "Why keeping the time of your old session for yourself can help.",
     "When therapy ends, the hour it took each week is suddenly free. Many people find it helps "
     "to keep that hour for themselves: a walk, a journal, a call with a friend.\n\n"
     "- Keep the same day and time\n- Decide in advance what you'll do\n- Notice how you feel"),
    (ARTICLE, EVERYONE, ["setbacks"], "When an old feeling comes back",
     "A low week doesn't undo your progress. What to do when things dip.",
     "Setbacks are part of recovery. Look at your early warning signs, use what helped before, "
     "and talk to someone. If you feel unsafe, use **Urgent help**."),
    (ARTICLE, EVERYONE, ["after-dit", "relationships"], "Your goodbye letter, months on",
     "Re-reading the letter from the end of Dynamic Interpersonal Therapy.",
     "At the end of DIT your therapist wrote a goodbye letter about the pattern you worked on. "
     "Reading it again can show how far you've come, and what to watch for."),
    (ARTICLE, EVERYONE, ["after-ipt"], "Your IPT maintenance plan",
     "Using the plan you made at the end of Interpersonal Therapy.",
     "Your maintenance plan names your focus area, your warning signs and the people who help. "
     "Keep it where you'll see it, and review it every few months."),
    (ARTICLE, EVERYONE, ["relationships"], "Telling people how you are",
     "Finding words for how you feel, with friends, family and at work.",
     "You don't owe anyone every detail. Decide what you want to share, and with whom."),
    (ARTICLE, EVERYONE, ["staying-well"], "Recovery story: the choir",
     "A member on going back to something they loved.",
     "I stopped singing when I was unwell. Going back was frightening, and it was worth it."),
    (VIDEO, EVERYONE, ["staying-well"], "Five minutes of breathing",
     "A short guided breathing exercise.",
     "Transcript: Find a comfortable place to sit. Breathe in slowly for four counts, hold for "
     "two, and breathe out for six. Let your shoulders drop. Repeat for a few minutes.",
     "https://www.youtube.com/watch?v=aXItOY0sLRY"),
    (VIDEO, EVERYONE, ["setbacks"], "Noticing early warning signs",
     "A clinician explains how to spot the signs early.",
     "Transcript: Early warning signs are small changes you notice before things get worse, "
     "such as sleeping badly or avoiding people. Write yours down.",
     "https://vimeo.com/76979871"),
    (LINK, EVERYONE, ["staying-well"], "NHS: Every Mind Matters",
     "Practical tips from the NHS for looking after your mental health.", "",
     "https://www.nhs.uk/every-mind-matters/"),
    (ARTICLE, CARERS_ONLY, ["for-carers"], "Looking after yourself as a carer",
     "Supporting someone you love without running on empty.",
     "Caring is easier when you are cared for too. Keep one thing each week that is just yours."),
    (ARTICLE, CARERS_ONLY, ["for-carers", "relationships"], "What to say, and what not to",
     "Conversations with someone recovering from depression.",
     "Listening matters more than fixing. Ask what helps, and believe the answer."),
    (LINK, CARERS_ONLY, ["for-carers"], "Carers UK",
     "Advice and support for unpaid carers.", "", "https://www.carersuk.org/"),
]


def seed_library() -> None:
    author = User.objects.filter(role="clinician").first() or User.objects.first()
    if author is None:
        return
    topics = {slug: Topic.objects.get_or_create(slug=slug, defaults={"name": name,
                                                                     "position": n})[0]
              for n, (slug, name) in enumerate(TOPICS)}
    carers_space = Space.objects.filter(slug=CARERS).first()
    for kind, audience, topic_slugs, title, summary, body, *url in RESOURCES:
        if Resource.objects.filter(title=title).exists():
            continue
        resource = Resource(kind=kind, audience=audience, title=title, summary=summary,
                            body=body, url=url[0] if url else "", author=author,
                            minutes=5 if kind == VIDEO else 1)
        library.resource_save(resource=resource, editor=None, publish=True)
        resource.topics.set([topics[slug] for slug in topic_slugs])
        if audience == CARERS_ONLY and carers_space is not None:
            resource.spaces.set([carers_space])
