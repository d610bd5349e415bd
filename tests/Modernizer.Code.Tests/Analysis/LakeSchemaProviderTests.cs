using Modernizer.Code.Analysis;
using Modernizer.Code.Plan;
using Modernizer.Code.Sql.Types;

namespace Modernizer.Code.Tests.Analysis;

/// <summary>R2.1: schemas come from the workspace lake's Delta logs, typed, and reach the plans.</summary>
public sealed class LakeSchemaProviderTests : IDisposable
{
    private const string SchemaString =
        """{"type":"struct","fields":[{"name":"store_id","type":"long","nullable":false,"metadata":{}},{"name":"name","type":"string","nullable":true,"metadata":{}},{"name":"area","type":"decimal(10,2)","nullable":true,"metadata":{}}]}""";

    private readonly string _root = Path.Combine(Path.GetTempPath(), "modernizer-lake-schema-" + Guid.NewGuid().ToString("N"));

    public LakeSchemaProviderTests()
    {
        var log = Path.Combine(_root, "lake", "raw", "stores", "_delta_log");
        Directory.CreateDirectory(log);
        var metadata = new System.Text.Json.Nodes.JsonObject
        {
            ["metaData"] = new System.Text.Json.Nodes.JsonObject
            {
                ["id"] = "0b7b6f5e-1c1f-4b8e-9d6c-5f3a2b1c0d9e",
                ["format"] = new System.Text.Json.Nodes.JsonObject { ["provider"] = "parquet", ["options"] = new System.Text.Json.Nodes.JsonObject() },
                ["schemaString"] = SchemaString,
                ["partitionColumns"] = new System.Text.Json.Nodes.JsonArray(),
                ["configuration"] = new System.Text.Json.Nodes.JsonObject(),
                ["createdTime"] = 1700000000000,
            },
        };
        File.WriteAllLines(Path.Combine(log, "00000000000000000000.json"),
        [
            """{"protocol":{"minReaderVersion":1,"minWriterVersion":2}}""",
            metadata.ToJsonString(),
        ]);
    }

    public void Dispose()
    {
        if (Directory.Exists(_root))
        {
            Directory.Delete(_root, recursive: true);
        }
    }

    [Fact]
    public async Task Reads_typed_schemas_of_lake_tables_by_schema_and_table()
    {
        var provider = await LakeSchemaProvider.LoadAsync(Path.Combine(_root, "lake"), CancellationToken.None);

        var schema = provider.SchemaOf("raw.stores");

        Assert.NotNull(schema);
        Assert.Equal(["store_id", "name", "area"], schema.Columns.Select(c => c.Name));
        Assert.Equal(SparkType.Long, schema.Columns[0].Type);
        Assert.False(schema.Columns[0].Nullable);
        Assert.Equal(SparkType.Decimal(10, 2), schema.Columns[2].Type);
        Assert.Null(provider.SchemaOf("raw.unknown"));
        Assert.Empty(provider.Problems);
    }

    [Fact]
    public async Task A_missing_lake_gives_an_empty_provider()
    {
        var provider = await LakeSchemaProvider.LoadAsync(Path.Combine(_root, "nothing-here"), CancellationToken.None);

        Assert.Equal(0, provider.Count);
    }

    [Fact]
    public async Task Scans_and_select_star_carry_the_lake_schema()
    {
        const string code = """
            stores = spark.read.format("delta").load("/mnt/lake/raw/stores")
            stores.filter("area > 10").write.mode("overwrite").saveAsTable("curated.big_stores")
            spark.sql("INSERT OVERWRITE TABLE curated.copy SELECT * FROM raw.stores")
            """;
        using var job = new TempJob().With("main.py", code);
        var provider = await LakeSchemaProvider.LoadAsync(Path.Combine(_root, "lake"), CancellationToken.None);

        var analysis = await job.AnalyzeAsync(AnalyzerOptions.Default with { Schemas = provider });

        var write = analysis.Plans.OfType<Write>().Single(w => w.Target.Key == "curated.big_stores");
        var scan = Assert.IsType<Scan>(Assert.IsType<Filter>(write.Input).Input);
        Assert.True(scan.Schema.IsKnown);
        Assert.Equal(SparkType.Decimal(10, 2), scan.Schema.Columns.Single(c => c.Name == "area").Type);
        Assert.Equal(["raw.stores.name"], analysis.ColumnLineageMap["curated.copy.name"].AsEnumerable());
        Assert.Equal(["raw.stores.store_id"], analysis.ColumnLineageMap["curated.copy.store_id"].AsEnumerable());
    }
}
