#!/bin/sh
# The container's entry point (also usable on a plain server with the venv's bin/ on PATH).
#   migrate     apply migrations and load reference data (run once per release)
#   web         check the production settings, then serve with gunicorn on $PORT (8000)
#   worker      run background tasks (Redis queue when REDIS_URL is set, else the database)
#   scheduler   enqueue periodic jobs (one is enough; more never double a run)
#   manage ...  any `fortalece` command, e.g. `manage createsuperuser`
set -eu

role="${1:-web}"
[ "$#" -gt 0 ] && shift

case "$role" in
  migrate)
    fortalece migrate --no-input
    fortalece load_geography
    fortalece load_sdg_targets
    ;;
  web)
    fortalece check --deploy --fail-level WARNING
    exec gunicorn fortalece.wsgi:application \
      --bind "0.0.0.0:${PORT:-8000}" \
      --workers "${WEB_CONCURRENCY:-4}" \
      --threads "${WEB_THREADS:-1}" \
      --timeout "${WEB_TIMEOUT:-60}" \
      --keep-alive "${WEB_KEEPALIVE:-75}" \
      --forwarded-allow-ips "${FORWARDED_ALLOW_IPS:-127.0.0.1}" \
      --max-requests 2000 --max-requests-jitter 200 \
      --access-logfile - \
      --access-logformat '%(h)s "%(m)s %(U)s" %(s)s %(b)s %(M)sms'
    ;;
  worker)
    if [ -n "${REDIS_URL:-}" ]; then
      exec fortalece rqworker default --with-scheduler --job-class django_tasks_rq.Job
    fi
    exec fortalece db_worker
    ;;
  scheduler)
    exec fortalece scheduler
    ;;
  manage)
    exec fortalece "$@"
    ;;
  *)
    echo "Unknown role '$role': use migrate, web, worker, scheduler or manage." >&2
    exit 2
    ;;
esac
