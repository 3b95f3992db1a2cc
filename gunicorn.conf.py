"""gunicorn settings for production: `gunicorn -c gunicorn.conf.py "mentoring:create_app()"`.

Every value can be changed by environment variable. Instances are stateless (signed-cookie sessions
revoked through the database, rate limits in Redis), so several can run behind one proxy.
"""

import multiprocessing
import os

bind = os.environ.get("GUNICORN_BIND", f"127.0.0.1:{os.environ.get('PORT', '8000')}")
workers = int(os.environ.get("GUNICORN_WORKERS", multiprocessing.cpu_count() * 2 + 1))
threads = int(os.environ.get("GUNICORN_THREADS", 2))
worker_class = "gthread"
timeout = int(os.environ.get("GUNICORN_TIMEOUT", 30))
graceful_timeout = 30
keepalive = 5
# A worker is replaced after this many requests, a guard against slow memory growth. What a worker
# keeps between requests is bounded (compiled templates, the kept directory and report HTML, the
# signed-in header: each an LRU or one per version), and replacing one costs about a second of CPU
# (importing and creating the app) and empties those, so at 2,000 a busy worker was replaced every
# 15 to 20 seconds under `make bench` (README, "Performance").
max_requests = int(os.environ.get("GUNICORN_MAX_REQUESTS", 10000))
max_requests_jitter = max_requests // 10
# Access logs carry method, path, status and time: no client address (check-ins must stay
# unlinkable) and no query string (links carry tokens).
accesslog = "-"
access_log_format = '"%(m)s %(U)s" %(s)s %(b)s %(L)ss'
errorlog = "-"
forwarded_allow_ips = os.environ.get("FORWARDED_ALLOW_IPS", "127.0.0.1")
