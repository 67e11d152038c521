"""State changes of the compensation app, one module per family (docs/architecture.md):
standards, valuations and re-pricing, publicity lists, agreements. Import them from here."""

from .agreements import (
    agreement_generate,
    agreement_sign,
    agreement_supplement,
    agreement_update,
    format_number,
    payment_period,
)
from .publicity import (
    publicity_close,
    publicity_create,
    publicity_objection_file,
    publicity_objection_resolve,
    publicity_period,
    publicity_publish,
)
from .standards import (
    rate_remove,
    rate_set,
    reward_window_add,
    reward_window_remove,
    standard_approve,
    standard_create,
    standard_return,
    standard_submit,
)
from .valuations import repricing_launch, repricing_run, repricing_start, valuation_run

__all__ = [
    "agreement_generate",
    "agreement_sign",
    "agreement_supplement",
    "agreement_update",
    "format_number",
    "payment_period",
    "publicity_close",
    "publicity_create",
    "publicity_objection_file",
    "publicity_objection_resolve",
    "publicity_period",
    "publicity_publish",
    "rate_remove",
    "rate_set",
    "repricing_launch",
    "repricing_run",
    "repricing_start",
    "reward_window_add",
    "reward_window_remove",
    "standard_approve",
    "standard_create",
    "standard_return",
    "standard_submit",
    "valuation_run",
]
