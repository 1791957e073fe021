"""Builds each domain service once per process, around one database driver."""

from __future__ import annotations

from dataclasses import dataclass

from .access.service import AccessService
from .commissions.service import CommissionService
from .compliance.service import ComplianceService
from .db import Database
from .network.importer import Importer
from .network.service import NetworkService
from .runs.service import AnalysisService
from .settings import Settings

__all__ = ["Services"]


@dataclass
class Services:
    settings: Settings
    db: Database
    access: AccessService
    network: NetworkService
    importer: Importer
    commissions: CommissionService
    analysis: AnalysisService
    compliance: ComplianceService

    @classmethod
    def build(cls, settings: Settings) -> "Services":
        db = Database(settings)
        compliance = ComplianceService(db)
        return cls(
            settings=settings,
            db=db,
            access=AccessService(db),
            network=NetworkService(db),
            importer=Importer(db, settings.identifier_secret),
            commissions=CommissionService(db),
            analysis=AnalysisService(db, compliance),
            compliance=compliance,
        )

    def close(self) -> None:
        self.db.close()
