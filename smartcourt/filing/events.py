"""An online filing becomes a case when it is docketed: that event is the case's first fact, announced to all who
may see the case. The filing's earlier states are on the filing's own page, not on a case's timeline."""

from django.utils.translation import gettext_lazy as _

from smartcourt.cases.events import Audience, EventType, declare

declare(EventType("filing.docketed", _("Online filing docketed"), Audience.CASE))
