"""Stories stage: each enriched article joins the story it reports, or opens one, on arrival.

`signature` turns an enriched article into language-independent evidence (entity ids, GeoNames
ids, TIMEX values, numbers, PLOVER types and actors) plus a bag of words; `Stories` holds the
live stories and makes one decision per article; `similarity` scores two articles the same way.
Pure: no clock (times are passed in), no environment, no Kafka.
"""

from service.core.stories.assign import Assignment, Params, Stories, Story, similarity
from service.core.stories.features import KINDS, Signature, signature

__all__ = [
    "KINDS",
    "Assignment",
    "Params",
    "Signature",
    "Stories",
    "Story",
    "signature",
    "similarity",
]
