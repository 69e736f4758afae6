"""gunicorn settings every deployment uses: `gunicorn -c python:tuner_site.gunicorn_conf tuner_site.wsgi`.

Only what must hold everywhere is here; bind, workers and log files stay on the command line.
"""

from gunicorn.glogging import Logger

from tuner_site.logmask import mask_share_tokens


class MaskingLogger(Logger):
    """gunicorn's logger, with share-link tokens masked in every access-log field (request
    line, path, query, referer, headers), so `--access-logfile` never records a working link."""

    def atoms(self, resp, req, environ, request_time):
        atoms = super().atoms(resp, req, environ, request_time)
        return {key: mask_share_tokens(value) if isinstance(value, str) else value for key, value in atoms.items()}


logger_class = MaskingLogger
