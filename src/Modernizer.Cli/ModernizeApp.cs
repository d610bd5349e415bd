using System.Reflection;
using System.Runtime.InteropServices;
using Microsoft.Extensions.DependencyInjection;
using Modernizer.Cli.Commands.Decisions;
using Modernizer.Cli.Commands.Demo;
using Modernizer.Cli.Commands.Escalations;
using Modernizer.Cli.Commands.Init;
using Modernizer.Cli.Commands.Reconcile;
using Modernizer.Cli.Commands.Run;
using Modernizer.Cli.Commands.Status;
using Modernizer.Cli.Composition;
using Modernizer.Cli.Infrastructure;
using Modernizer.Pipeline.Configuration;
using Spectre.Console;
using Spectre.Console.Cli;

namespace Modernizer.Cli;

/// <summary>Builds the <c>modernize</c> command tree. Each area registers its commands here.</summary>
public static class ModernizeApp
{
    public static Task<int> RunAsync(string[] args)
    {
        var console = AnsiConsole.Console;
        if (Console.IsOutputRedirected)
        {
            // Plain output for pipes and files: no wrapping at a guessed 80 columns.
            console.Profile.Width = 200;
        }

        return RunAsync(args, ModernizeServices.CreateDefault(), console);
    }

    /// <summary>The product's version: the informational version of this assembly (the package version
    /// and the commit it was built from).</summary>
    public static string Version { get; } =
        typeof(ModernizeApp).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion
        ?? typeof(ModernizeApp).Assembly.GetName().Version?.ToString()
        ?? "unknown";

    /// <summary>Runs the command line with the given parts (tests and harnesses pass their own).
    /// Exit codes: 0 ok, 1 findings, 2 error, 130 interrupted (Ctrl+C, SIGINT) and 143 terminated
    /// (SIGTERM): the first signal cancels the command cleanly, a second one ends the process at once.</summary>
    public static async Task<int> RunAsync(string[] args, ModernizeServices services, IAnsiConsole console)
    {
        ArgumentNullException.ThrowIfNull(args);
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(console);
        using var interruption = new Interruption();
        var collection = new ServiceCollection();
        collection.AddSingleton(services);
        collection.AddSingleton(console);
        collection.AddSingleton<RunWorkflow>();
        var app = new CommandApp(new TypeRegistrar(collection));
        app.Configure(config =>
        {
            config.SetApplicationName("modernize");
            config.SetApplicationVersion(Version);
            config.ConfigureConsole(console);
            config.PropagateExceptions();

            config.AddCommand<InitCommand>("init")
                .WithDescription("Create a workspace: a commented modernize.yaml (every key at its default) and the input folders.")
                .WithExample("init", "my-workspace");
            config.AddCommand<RunCommand>("run")
                .WithDescription("Run every enabled stage of the portfolio and the selected jobs. Exit 0 done, 1 jobs wait on escalations or failed, 2 error.")
                .WithExample("run", "--workspace", "my-workspace")
                .WithExample("run", "--workspace", "my-workspace", "--phase", "1", "--json", "run.json");
            config.AddCommand<StatusCommand>("status")
                .WithDescription("The kanban: jobs per stage and state, roles not available, open escalations, spend per job.")
                .WithExample("status", "--workspace", "my-workspace")
                .WithExample("status", "--workspace", "my-workspace", "--json");
            config.AddCommand<DecisionsCommand>("decisions")
                .WithDescription("The decision log (who, what, alternatives, evidence, confidence, rule); --verify checks its hash chain.")
                .WithExample("decisions", "--workspace", "my-workspace", "--job", "orders_daily")
                .WithExample("decisions", "--workspace", "my-workspace", "--verify");
            config.AddBranch("escalations", branch =>
            {
                branch.SetDescription("The escalation queue: list, show, approve or reject. Approved jobs continue on the next run; rejected jobs stop.");
                branch.AddCommand<EscalationsListCommand>("list")
                    .WithDescription("Open escalations (--all: also closed ones). Exit 1 while any is open.")
                    .WithExample("escalations", "list", "--workspace", "my-workspace");
                branch.AddCommand<EscalationsShowCommand>("show")
                    .WithDescription("One escalation with its evidence.")
                    .WithExample("escalations", "show", "esc-1a2b3c4d5e6f", "--workspace", "my-workspace");
                branch.AddCommand<EscalationsApproveCommand>("approve")
                    .WithDescription("Approve: the job continues on the next run. Logged as a decision.")
                    .WithExample("escalations", "approve", "esc-1a2b3c4d5e6f", "--by", "ana", "--reason", "confirmed with finance", "--workspace", "my-workspace");
                branch.AddCommand<EscalationsRejectCommand>("reject")
                    .WithDescription("Reject: the job stops with the reason. Logged as a decision.")
                    .WithExample("escalations", "reject", "esc-1a2b3c4d5e6f", "--by", "ana", "--reason", "keep the legacy job", "--workspace", "my-workspace");
            });
            config.AddCommand<Commands.Serve.ServeCommand>("serve")
                .WithDescription("The dashboard and its JSON API (kanban, portfolio, backlog, job pages, escalations to approve, the decision log) over the workspace; runs beside `modernize run`.")
                .WithExample("serve", "--workspace", "my-workspace")
                .WithExample("serve", "--workspace", "my-workspace", "--urls", "http://127.0.0.1:8080");
            config.AddCommand<DemoCommand>("demo")
                .WithDescription("Write the bundled sample workspace and run it end to end.")
                .WithExample("demo")
                .WithExample("demo", "/tmp/retail");
            config.AddCommand<ReconcileCommand>("reconcile").WithDescription("Reconcile a candidate table against its baseline (exact, multiset, per-column evidence). Exit 0 match, 1 mismatch, 2 error.").WithExample("reconcile", "--baseline", "legacy_out", "--candidate", "new_out", "--key", "order_id", "--json", "reconciliation.json", "--html", "reconciliation.html");
            config.AddCommand<Commands.Rewrite.RewriteCommand>("rewrite")
                .WithDescription("Rewrite a job as set-based Spark SQL, run it beside the legacy output and reconcile exactly (R4.1, X4). Exit 0 delivered and exact, 1 not delivered (reason printed), 2 error.")
                .WithExample("rewrite", "--workspace", "./retail", "--job", "product_sales_rank")
                .WithExample("rewrite", "-w", "./retail", "--job", "customer_dim_scd2", "--json", "rewrite-result.json");
            config.AddCommand<Commands.Test.TestCommand>("test")
                .WithDescription("Run a job's generated tests against its rewrite on disk (DuckDB, or the configured Databricks warehouse); writes tests/results.json. Exit 0 all pass, 1 a failure, 2 error.")
                .WithExample("test", "--workspace", "./retail", "--job", "orders_usd_normalized")
                .WithExample("test", "-w", "./retail", "--job", "orders_usd_normalized", "--json", "results.json");
            config.AddCommand<Commands.Profile.ProfileCommand>("profile").WithDescription("Profile a Delta or Parquet table: counts, nulls, distincts, ranges, quantiles, top values (R2.2).").WithExample("profile", "lake/sales/orders", "--version", "3", "--json", "profile.json");
            config.AddCommand<Commands.Analyze.AnalyzeCommand>("analyze").WithDescription("Code analysis of legacy PySpark, notebooks and Spark SQL: lineage, anti-patterns, suspected defects, assumptions (R2.1).").WithExample("analyze", "samples/retail/jobs/orders_daily_revenue", "--json", "analysis.json");
            config.AddCommand<Commands.Sample.SampleCommand>("sample")
                .WithDescription("Write the retail sample workspace (jobs, catalog, finops, Delta lake, answer key); --jobs/--days for a portfolio of any size.")
                .WithExample("sample", "./retail")
                .WithExample("sample", "./bench", "--jobs", "10000", "--days", "365");
            config.AddCommand<Commands.Delivery.PackageCommand>("package")
                .WithDescription("Static analysis, then a Databricks Asset Bundle per job (or batch), its commit, push and pull request (R4.2, R5.1). Exit 0 packaged, 1 refused, 2 error.")
                .WithExample("package", "--workspace", "my-workspace", "--job", "orders_daily_revenue");
            config.AddCommand<Commands.Delivery.PromoteCommand>("promote")
                .WithDescription("Promote a job to dev, staging or prod through the Jobs API behind the gates, each logged (R5.1). Exit 0 promoted, 1 held, 2 error.")
                .WithExample("promote", "--workspace", "my-workspace", "--job", "orders_daily_revenue", "--env", "staging");
            config.AddCommand<Commands.Delivery.RollbackCommand>("rollback")
                .WithDescription("Restore the job definition the last promotion to an environment replaced (R5.1).")
                .WithExample("rollback", "--workspace", "my-workspace", "--job", "orders_daily_revenue", "--env", "prod");
            config.AddCommand<Commands.Portfolio.InventoryCommand>("inventory")
                .WithDescription("Print the job inventory (R1.1) from .modernize/portfolio/, running tier 1 first when it is missing.")
                .WithExample("inventory", "--workspace", "./retail")
                .WithExample("inventory", "-w", "./retail", "--json", "inventory.json", "--limit", "50");
            config.AddCommand<Commands.Portfolio.BacklogCommand>("backlog")
                .WithDescription("Print the prioritized rewrite backlog (R1.3) with factor scores and justifications, running tier 1 first when it is missing.")
                .WithExample("backlog", "--workspace", "./retail")
                .WithExample("backlog", "-w", "./retail", "--refresh", "--json", "backlog.json");
        });

        try
        {
            return await app.RunAsync(args, interruption.Token);
        }
        catch (OperationCanceledException) when (interruption.Signal is { } signal)
        {
            console.MarkupLine($"[yellow]interrupted:[/] {Markup.Escape(signal == PosixSignal.SIGTERM ? "terminated" : "Ctrl+C")} - the stage in progress was cancelled and nothing of it was recorded; what finished before is kept. Run the same command again to resume.");
            return signal == PosixSignal.SIGTERM ? ExitCodes.Terminated : ExitCodes.Interrupted;
        }
        catch (ConfigurationException e)
        {
            console.MarkupLine($"[red]error:[/] {Markup.Escape(e.Message)}");
            return ExitCodes.Error;
        }
        catch (CliException e)
        {
            console.MarkupLine($"[red]error:[/] {Markup.Escape(e.Message)}");
            return ExitCodes.Error;
        }
        catch (Modernizer.Delivery.DeliveryException e)
        {
            console.MarkupLine($"[red]error:[/] {Markup.Escape(e.Message)}");
            return ExitCodes.Error;
        }
        catch (CommandAppException e)
        {
            console.MarkupLine($"[red]error:[/] {Markup.Escape(ArgumentErrors.Describe(e, args))}");
            return ExitCodes.Error;
        }
        catch (Exception e) when (e is IOException or InvalidDataException or UnauthorizedAccessException or System.Data.Common.DbException or InvalidOperationException)
        {
            console.MarkupLine($"[red]error:[/] {Markup.Escape(e.GetType().Name + ": " + e.Message)}");
            return ExitCodes.Error;
        }
    }
}
