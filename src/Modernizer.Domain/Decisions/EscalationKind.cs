namespace Modernizer.Domain.Decisions;

/// <summary>The rows of the mission's escalation table (X3). Everything else is autonomous.</summary>
public enum EscalationKind
{
    /// <summary>Metadata completely missing for a job in the top 50 by volume or frequency (R1.1).</summary>
    MissingMetadataTopJob,

    /// <summary>Cost discrepancy above the configured $/month (R1.2).</summary>
    CostDiscrepancy,

    /// <summary>SLA-breach pattern suggesting a data-quality issue affecting downstream consumers (R1.2).</summary>
    SlaBreachDownstreamImpact,

    /// <summary>Top-5 rewrite candidates include a compliance-critical job (R1.3).</summary>
    ComplianceCriticalInTopFive,

    /// <summary>PII/PHI reaching a curated output unmasked (R2.1).</summary>
    PiiExposure,

    /// <summary>Potential data corruption (R2.2).</summary>
    DataCorruption,

    /// <summary>Regulatory logic (SOX, GDPR, HIPAA) below the confidence floor, or contradicting requirements (R2.3).</summary>
    RegulatoryLowConfidence,

    /// <summary>Reconciliation below 95% or a financial/regulatory column mismatch (R4.4, X4).</summary>
    ReconciliationFailure,

    /// <summary>No exact set-based rewrite: a construct could not be lifted exactly (and no model may try),
    /// or no interpretation reconciled exactly within the attempts (R4.1, X1, X4).</summary>
    NoExactRewrite,

    /// <summary>A limit enforced in code (budget, attempts) was reached and the policy asks for a human.</summary>
    LimitReached,
}
