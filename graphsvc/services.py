"""Builds each domain service once per process, around one database driver."""

from __future__ import annotations

import functools
from dataclasses import dataclass

from .access.service import AccessService
from .commissions.service import CommissionService
from .compliance.service import ComplianceService
from .db import Database
from .fx import FxRates
from .kpis.service import KpiService
from .network.importer import Importer
from .network.service import NetworkService
from .analysis_runs.kinds import COMPLIANCE, KPIS, latest_run
from .analysis_runs.service import AnalysisService
from .settings import Settings
from .payouts.service import PayoutsService
from .rewards.service import RewardsService
from .tracking.service import TrackingService

__all__ = ["Services"]


@dataclass
class Services:
    """The settings, the database seam and one instance of each domain service."""

    settings: Settings
    db: Database
    access: AccessService
    network: NetworkService
    importer: Importer
    commissions: CommissionService
    analysis: AnalysisService
    compliance: ComplianceService
    kpis: KpiService
    fx: FxRates
    tracking: TrackingService
    rewards: RewardsService
    payouts: PayoutsService

    @classmethod
    def build(cls, settings: Settings) -> "Services":
        """Every service around one new driver for these settings."""
        db = Database(settings)
        fx = FxRates(db, settings.reporting_currency)
        compliance = ComplianceService(db, stored_run=functools.partial(latest_run, db, COMPLIANCE), fx=fx)
        network = NetworkService(db)
        kpis = KpiService(db, stored_run=functools.partial(latest_run, db, KPIS))
        return cls(
            settings=settings,
            db=db,
            access=AccessService(db),
            network=network,
            importer=Importer(db, settings.identifier_secret),
            commissions=CommissionService(db),
            analysis=AnalysisService(db, compliance, kpis),
            compliance=compliance,
            kpis=kpis,
            fx=fx,
            tracking=TrackingService(db, network, settings),
            rewards=RewardsService(db),
            payouts=PayoutsService(db),
        )

    def close(self) -> None:
        """Close the driver (its connections)."""
        self.db.close()
