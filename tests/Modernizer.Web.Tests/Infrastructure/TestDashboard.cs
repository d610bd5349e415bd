using System.Collections.Immutable;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.Hosting;
using Modernizer.Domain;
using Modernizer.Domain.Configuration;
using Modernizer.Domain.Decisions;
using Modernizer.Domain.Roles;
using Modernizer.Domain.Stages;
using Modernizer.Domain.Workspace;
using Modernizer.Pipeline.Escalations;
using Modernizer.Pipeline.State;
using Modernizer.Web.Hosting;
using Modernizer.Web.Security;
using Modernizer.Web.Workspace;
using Npgsql;

namespace Modernizer.Web.Tests.Infrastructure;

/// <summary>A workspace for the dashboard's tests: the fixture artifacts (real Code Reviewer and Data
/// Profiler output of the retail sample for customer_dim_scd2, and spec, tests, rewrite and
/// reconciliation written to their contracts), a real state store (SQLite or PostgreSQL) seeded
/// through its own API with jobs, decisions and open escalations, and three accounts.</summary>
internal sealed class TestDashboard : IAsyncDisposable
{
    public const string ApproverName = "ana";
    public const string ViewerName = "vera";
    public const string AdminName = "root";
    public const string Password = "correct horse battery";
    public const string PostgresVariable = "MODERNIZER_TEST_POSTGRES";

    private static readonly DateTimeOffset Now = new(2026, 11, 2, 8, 0, 0, TimeSpan.Zero);
    private static readonly Lazy<string> PasswordHash = new(() => LocalAccounts.HashForConfiguration("-", Password));

    private readonly string? _schema;
    private readonly string? _adminConnection;

    private TestDashboard(string root, IStateStore store, LocalAccounts accounts, string? schema, string? adminConnection)
    {
        Root = root;
        Paths = new WorkspacePaths(root);
        Store = store;
        Accounts = accounts;
        _schema = schema;
        _adminConnection = adminConnection;
        Workspace = new DashboardWorkspace(store, Paths, new HashSet<StageId> { StageId.Scan, StageId.FinOps, StageId.Prioritize, StageId.CodeReview, StageId.Profile }, TimeProvider.System);
    }

    public string Root { get; }

    public WorkspacePaths Paths { get; }

    public IStateStore Store { get; }

    public LocalAccounts Accounts { get; }

    public DashboardWorkspace Workspace { get; }

    /// <summary>The open escalation of orders_daily_revenue (compliance-critical job in the top 5).</summary>
    public string ComplianceEscalation { get; private set; } = string.Empty;

    /// <summary>The open escalation of customer_dim_scd2 (reconciliation below 100%).</summary>
    public string ReconciliationEscalation { get; private set; } = string.Empty;

    public static async Task<TestDashboard> CreateAsync(string storeKind = "sqlite", bool seedAccounts = true)
    {
        var root = Path.Combine(Path.GetTempPath(), "modernizer-web-" + Guid.NewGuid().ToString("N"));
        CopyFixture(Path.Combine(AppContext.BaseDirectory, "Fixtures", "workspace"), root);
        Directory.CreateDirectory(Path.Combine(root, "lake"));
        var paths = new WorkspacePaths(root);
        string? schema = null;
        string? admin = null;
        var settings = StateSettings.Default;
        if (storeKind == "postgres")
        {
            admin = Environment.GetEnvironmentVariable(PostgresVariable);
            Assert.False(string.IsNullOrWhiteSpace(admin), $"{PostgresVariable} is not set: run `export {PostgresVariable}=$(bash scripts/postgres.sh)` (scripts/test.sh does it).");
            schema = "w_" + Guid.NewGuid().ToString("N")[..16];
            await using (var connection = new NpgsqlConnection(admin))
            {
                await connection.OpenAsync();
                await using var create = new NpgsqlCommand($"CREATE SCHEMA {schema}", connection);
                await create.ExecuteNonQueryAsync();
            }

            settings = settings with { Provider = StateProvider.Postgres, ConnectionString = new NpgsqlConnectionStringBuilder(admin) { SearchPath = schema }.ToString() };
        }

        var store = await StateStoreFactory.OpenAsync(paths, settings, CancellationToken.None);
        ImmutableArray<LocalAccount> configured = seedAccounts
            ? [new(ApproverName, DashboardRoles.Approver, PasswordHash.Value, false), new(ViewerName, DashboardRoles.Viewer, PasswordHash.Value, false), new(AdminName, DashboardRoles.Admin, PasswordHash.Value, false)]
            : [];
        var accounts = await LocalAccounts.OpenAsync(Path.Combine(paths.Output, "users.json"), configured, CancellationToken.None);
        var dashboard = new TestDashboard(root, store, accounts, schema, admin);
        await dashboard.SeedAsync();
        return dashboard;
    }

    public DashboardOptions Options(DashboardSettings? settings = null) =>
        new(Workspace, Accounts, settings ?? DashboardSettings.Default, TimeProvider.System) { PollInterval = TimeSpan.FromMilliseconds(50), Urls = ["http://127.0.0.1:0"] };

    public DashboardFactory Factory(DashboardSettings? settings = null) => new(Options(settings));

    /// <summary>Moves a job to a new state the way a worker does (lease, then release).</summary>
    public async Task SetJobStateAsync(string job, JobState state, string? stage, string? message)
    {
        var owner = LeaseOwner.ForCurrentProcess();
        Assert.True(await Store.TryAcquireLeaseAsync(job, owner, DateTimeOffset.UtcNow, TimeSpan.FromMinutes(1), CancellationToken.None));
        await Store.ReleaseLeaseAsync(job, owner, state, stage, message, DateTimeOffset.UtcNow, CancellationToken.None);
    }

    private async Task SeedAsync()
    {
        await Store.SelectJobsAsync([new JobSlot("orders_daily_revenue", 0), new JobSlot("customer_dim_scd2", 1), new JobSlot("customer_360", 2), new JobSlot("xss_probe", 3)], CancellationToken.None);
        ComplianceEscalation = await EscalateAsync("orders_daily_revenue", StageId.Prioritize, RoleId.PrioritizationOrchestrator, EscalationKind.ComplianceCriticalInTopFive,
            "orders_daily_revenue is compliance-critical (SOX) and ranks #1 of the backlog (top 5): a human confirms it may enter the rewrite pipeline.");
        ReconciliationEscalation = await EscalateAsync("customer_dim_scd2", StageId.Reconcile, RoleId.ValidationReconciler, EscalationKind.ReconciliationFailure,
            "customer_dim_scd2 matches 99.62% of rows after 2 attempts; valid_to and is_current differ on 20 rows.");
        await SetJobStateAsync("customer_360", JobState.Done, "deploy", null);
        await SetJobStateAsync("xss_probe", JobState.Blocked, "requirements", "<script>alert(3)</script> waits at requirements");
    }

    private async Task<string> EscalateAsync(string job, StageId stage, RoleId role, EscalationKind kind, string summary)
    {
        var owner = LeaseOwner.ForCurrentProcess();
        Assert.True(await Store.TryAcquireLeaseAsync(job, owner, Now, TimeSpan.FromMinutes(1), CancellationToken.None));
        var request = new EscalationRequest(new JobId(job), stage, role, kind, summary, [new Evidence(EvidenceKind.OutputData, $"jobs/{job}", "fixture")]);
        var id = EscalationQueue.IdFor(request, "h-" + job);
        var roleName = System.Text.Json.JsonNamingPolicy.SnakeCaseLower.ConvertName(role.ToString());
        var escalation = new EscalationRecord(id, job, stage.Name, roleName, kind, summary, request.Evidence, "h-" + job, EscalationStatus.Open, string.Empty, null, null, null);
        var decisions = ImmutableArray.Create(
            new DecisionDraft(new JobId(job), stage, role, "finding", DecisionOutcome.Autonomous, new Confidence(0.9), "R2.1", $"{job}: a finding logged on the way", [], []) { Tokens = 1200, CostUsd = 0.042m },
            new DecisionDraft(new JobId(job), stage, role, kind.ToString(), DecisionOutcome.Escalated, new Confidence(0.95), "X3", summary, ["resolve autonomously"], request.Evidence));
        await Store.CommitStageAsync(new StageCommit(job, owner.ToString(), new StageRunRecord(job, stage.Name, StageStatus.Escalated, "h-" + job, 1, null, [], string.Empty),
            decisions, [escalation], JobState.Escalated, $"waits on escalation {id}"), Now, CancellationToken.None);
        await Modernizer.Pipeline.Decisions.LogExporter.ExportAsync(Store, Paths, CancellationToken.None);
        return id;
    }

    private static void CopyFixture(string from, string to)
    {
        foreach (var file in Directory.GetFiles(from, "*", SearchOption.AllDirectories))
        {
            var relative = Path.GetRelativePath(from, file);
            if (relative.StartsWith("modernize" + Path.DirectorySeparatorChar, StringComparison.Ordinal))
            {
                relative = "." + relative;
            }

            var target = Path.Combine(to, relative);
            Directory.CreateDirectory(Path.GetDirectoryName(target)!);
            File.Copy(file, target);
        }
    }

    public async ValueTask DisposeAsync()
    {
        await Store.DisposeAsync();
        if (_schema is not null)
        {
            NpgsqlConnection.ClearAllPools();
            await using var connection = new NpgsqlConnection(_adminConnection);
            await connection.OpenAsync();
            await using var drop = new NpgsqlCommand($"DROP SCHEMA IF EXISTS {_schema} CASCADE", connection);
            await drop.ExecuteNonQueryAsync();
        }

        try
        {
            Directory.Delete(Root, recursive: true);
        }
        catch (IOException)
        {
            // A file still held by a dying child process; the temp folder is cleaned by the OS.
        }
    }
}

/// <summary>The dashboard on a test server, built by the same <see cref="DashboardHost"/> as <c>modernize serve</c>.</summary>
internal sealed class DashboardFactory(DashboardOptions options) : WebApplicationFactory<DashboardFactory>
{
    protected override IHostBuilder CreateHostBuilder() => DashboardHost.CreateBuilder(options);

    // The factory guesses a content root next to the solution; the dashboard's is the workspace.
    protected override void ConfigureWebHost(Microsoft.AspNetCore.Hosting.IWebHostBuilder builder) =>
        Microsoft.AspNetCore.Hosting.HostingAbstractionsWebHostBuilderExtensions.UseContentRoot(builder, options.Workspace.Paths.Root);

    /// <summary>A client on https (the cookies are Secure) that keeps cookies and does not follow redirects.</summary>
    public HttpClient Browser() => CreateClient(new WebApplicationFactoryClientOptions { BaseAddress = new Uri("https://localhost"), AllowAutoRedirect = false, HandleCookies = true });
}
