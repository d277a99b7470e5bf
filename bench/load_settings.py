"""Settings of the server that bench/load.py measures: production's, plus two floor pages.

Production settings unchanged but for the URLconf (the portal's URLs and two floors beside them)
and the anonymous API throttle, lifted so that the load measures the API rather than its limit.
"""

from coalition.settings.production import *  # noqa: F403
from coalition.settings.production import REST_FRAMEWORK

ROOT_URLCONF = "bench.load_urls"
REST_FRAMEWORK = {**REST_FRAMEWORK, "DEFAULT_THROTTLE_RATES": {"anon": "100000000/min"}}
