using System.Text.Json;
using Modernizer.Code.Analysis;
using Modernizer.Domain.Decisions;

namespace Modernizer.Code.Tests.Analysis;

public sealed class PiiAndWriterTests
{
    private const string Code = """
        from pyspark.sql import functions as F
        c = spark.table("raw.customers")
        out = c.select("customer_id", "email", "phone", F.sha2(F.col("ssn"), 256).alias("ssn"))
        out.write.mode("overwrite").saveAsTable("curated.contacts")
        c.select("customer_id", "email").write.mode("overwrite").saveAsTable("staging.contacts")
        """;

    [Fact]
    public async Task Unmasked_pii_in_a_curated_output_escalates_and_masked_or_staging_columns_do_not()
    {
        using var job = new TempJob().With("main.py", Code);

        var analysis = await job.AnalyzeAsync();

        var exposed = analysis.Pii.Where(p => p.ReachesCuratedOutput).Select(p => p.Column).Order().ToArray();
        Assert.Equal(["email", "phone"], exposed);
        Assert.Contains(analysis.Pii, p => p is { Column: "ssn", Masked: true });
        Assert.Contains(analysis.Pii, p => p is { TargetTable: "staging.contacts", ReachesCuratedOutput: false });
        var escalation = Assert.Single(analysis.Escalations);
        Assert.Equal(EscalationKind.PiiExposure, escalation.Kind);
    }

    [Fact]
    public async Task No_escalation_when_pii_never_reaches_a_curated_output()
    {
        using var job = new TempJob().With("main.py", "spark.table('raw.customers').select('customer_id').write.saveAsTable('curated.ids')\n");

        var analysis = await job.AnalyzeAsync();

        Assert.Empty(analysis.Escalations);
    }

    [Fact]
    public async Task Writer_produces_the_workspace_fields_and_an_openlineage_run_event()
    {
        using var job = new TempJob().With("main.py", Code);
        var analysis = await job.AnalyzeAsync();
        var output = Path.Combine(job.Root, "out");

        await AnalysisWriter.WriteAsync(analysis, output, new DateTimeOffset(2026, 11, 27, 0, 0, 0, TimeSpan.Zero), CancellationToken.None);

        using var document = JsonDocument.Parse(await File.ReadAllTextAsync(Path.Combine(output, "analysis.json")));
        var root = document.RootElement;
        foreach (var field in new[] { "job_id", "sources", "targets", "column_lineage", "anti_patterns", "suspected_defects", "assumptions" })
        {
            Assert.True(root.TryGetProperty(field, out _), field);
        }

        Assert.Equal("raw.customers.email", root.GetProperty("column_lineage").GetProperty("curated.contacts.email")[0].GetString());
        using var lineage = JsonDocument.Parse(await File.ReadAllTextAsync(Path.Combine(output, "lineage.json")));
        var run = lineage.RootElement;
        Assert.Equal("COMPLETE", run.GetProperty("eventType").GetString());
        var facet = run.GetProperty("outputs")[0].GetProperty("facets").GetProperty("columnLineage");
        var email = facet.GetProperty("fields").GetProperty("email").GetProperty("inputFields")[0];
        Assert.Equal("raw.customers", email.GetProperty("name").GetString());
        Assert.Equal("DIRECT", email.GetProperty("transformations")[0].GetProperty("type").GetString());
        Assert.True(File.Exists(Path.Combine(output, "analysis.md")));
    }

    [Fact]
    public async Task A_syntax_error_is_reported_with_file_and_line_and_other_files_are_still_analyzed()
    {
        using var job = new TempJob()
            .With("a_broken.py", "def f(:\n")
            .With("b_good.py", "spark.table('raw.a').write.saveAsTable('curated.a')\n");

        var analysis = await job.AnalyzeAsync();

        var problem = Assert.Single(analysis.Problems);
        Assert.Equal("a_broken.py", problem.File);
        Assert.Equal(1, problem.Line);
        Assert.Equal(["raw.a"], analysis.Sources.AsEnumerable());
    }
}
