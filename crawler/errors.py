"""What a run of the tool can end in: the exit codes, and the one error a person can act on.

Every layer raises `InputError` (or a subclass: a bad survey, overrides file, watch config, stored run,
diff request) when the user's input cannot be used; only the command line turns it into a message and
exit 2. Nothing here imports the rest of the package, so every layer may import it.
"""
from __future__ import annotations

EXIT_OK = 0          # done (and the score is at least --fail-under, when given)
EXIT_BELOW = 1       # the OIT score is below --fail-under
EXIT_USAGE = 2       # bad usage or input: one line saying what and where, never a traceback
EXIT_UNHEALTHY = 3   # the crawl was unhealthy (or a site could not be crawled): no score published
EXIT_RUN_FAILED = 4  # the run failed mid-crawl (disk full, the store corrupt): marked `failed`, no score
EXIT_INTERRUPTED = 130


class InputError(Exception):
    """Input the tool cannot use: `message` names the file, entry or value and what is wrong; `hint`
    (optional) says what to do instead. `str()` is the message alone."""

    def __init__(self, message: str, hint: str | None = None):
        super().__init__(message)
        self.message = message
        self.hint = hint

    def __str__(self) -> str:
        return self.message


class RunFailed(Exception):
    """A crawl stopped because the evidence store or the disk failed under it (disk full, a file-size
    limit, a store that became corrupt). The run is marked `failed` with `reason` when the store could
    still take that write (`recorded`); what was stored before stays. The command line says what to do
    and exits EXIT_RUN_FAILED."""

    def __init__(self, reason: str, run_id: int | None = None, recorded: bool = False):
        super().__init__(reason)
        self.reason = reason
        self.run_id = run_id
        self.recorded = recorded
