"""The aliases queries join under, made once at import.

A query that joins a table twice (a work item and its sub-item, a city and a
county) needs aliases.  SQLAlchemy builds an alias's column proxies the first
time each column is used; an alias made per call rebuilds them on every call,
about 4 ms of a page's query at tier M.  Made here once, they are built once.
A statement uses each alias for one role only; two roles take two aliases."""
from __future__ import annotations

from sqlalchemy.orm import aliased

from store.models import (
    IndicatorObservation,
    IndicatorRollup,
    ItemDepartment,
    ProgressUpdate,
    Region,
    WorkItem,
)

ITEM = aliased(WorkItem, name="item")
SUB_ITEM = aliased(WorkItem, name="sub_item")  # the sub-scene a milestone is written under
RELATED_ITEM = aliased(WorkItem, name="related")  # an item's parent or children
CITY = aliased(Region, name="city")
COUNTY = aliased(Region, name="county")
ITEM_CITY = aliased(Region, name="item_city")  # the city of an indicator's work item
LATEST_UPDATE = aliased(ProgressUpdate, name="latest")  # a milestone's latest progress report
LATEST_OBSERVATION = aliased(IndicatorObservation, name="latest_obs")
OBSERVATION_NOW = aliased(IndicatorObservation, name="now")  # an indicator's latest actual at two dates
OBSERVATION_THEN = aliased(IndicatorObservation, name="then")
ROLLUP_NOW = aliased(IndicatorRollup, name="judged_now")  # an indicator as judged at two dates
ROLLUP_THEN = aliased(IndicatorRollup, name="judged_then")
LEAD = aliased(ItemDepartment, name="lead")  # an item's lead department
