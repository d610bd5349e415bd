namespace Modernizer.Domain.Workspace;

/// <summary>The workspace layout of WORKSPACE.md, in one place.</summary>
public sealed record WorkspacePaths(string Root)
{
    public string ConfigFile => Path.Combine(Root, "modernize.yaml");
    public string Jobs => Path.Combine(Root, "jobs");
    public string Catalog => Path.Combine(Root, "catalog");
    public string Finops => Path.Combine(Root, "finops");
    public string Lake => Path.Combine(Root, "lake");
    public string Legacy => Path.Combine(Root, "legacy");

    public string Output => Path.Combine(Root, ".modernize");
    public string StateDb => Path.Combine(Output, "state.db");
    public string DecisionsJsonl => Path.Combine(Output, "decisions.jsonl");
    public string EscalationsJson => Path.Combine(Output, "escalations.json");
    public string Portfolio => Path.Combine(Output, "portfolio");
    public string InventoryJson => Path.Combine(Portfolio, "inventory.json");
    public string FinopsJson => Path.Combine(Portfolio, "finops.json");
    public string BacklogJson => Path.Combine(Portfolio, "backlog.json");

    public string JobCode(JobId job) => Path.Combine(Jobs, job.Value);

    public string JobOutput(JobId job) => Path.Combine(Output, "jobs", job.Value);
}
