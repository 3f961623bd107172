"""Ready-made source specifications for well-known warehouse schemas.

GA4's BigQuery export (schema: https://support.google.com/analytics/answer/7029846): one dataset
`analytics_<property_id>` with a table `events_YYYYMMDD` per day, one row per event; `event_date`
is a STRING `YYYYMMDD` in the property's time zone, `event_name` a STRING, `user_pseudo_id` the
pseudonymous user, `ecommerce` a RECORD whose `purchase_revenue` is a FLOAT, and `traffic_source`
a RECORD with the `name` (campaign), `medium` and `source` that first acquired the user.

The event names are GA4's recommended events for lead generation and online sales
(`generate_lead`, `qualify_lead`, `close_convert_lead`, `purchase`); a property with its own
events overrides `events:` in the YAML, key by key with the rest of the template kept.
"""

from __future__ import annotations

from typing import Any

from kpi_cli.warehouse.models import Shape, Template, WarehouseSource

GA4: dict[str, Any] = {
    "platform": Shape.EVENTS,
    # BigQuery's wildcard table: every daily `events_YYYYMMDD` table of the dataset.
    "table": "events_*",
    "event_column": "event_name",
    "date_format": "%Y%m%d",
    "columns": {
        "date": "event_date",
        "campaign": "traffic_source.name",
        "channel": "traffic_source.medium",
        "revenue": "ecommerce.purchase_revenue",
    },
    "events": {
        "generate_lead": "leads",
        "qualify_lead": "opportunities",
        "close_convert_lead": "customers",
        "purchase": "conversions",
    },
}

_TEMPLATES = {Template.GA4: GA4}


def apply_template(spec: WarehouseSource) -> WarehouseSource:
    """The spec with its template's keys filled in wherever the YAML did not set them."""
    if spec.template is None:
        return spec
    defaults = _TEMPLATES[spec.template]
    update = {key: value for key, value in defaults.items() if key not in spec.model_fields_set}
    if "columns" in spec.model_fields_set:  # a partial `columns:` overrides the template's per key
        update["columns"] = {**defaults["columns"], **spec.columns}
    return WarehouseSource.model_validate({**spec.model_dump(exclude_unset=True), **update})
