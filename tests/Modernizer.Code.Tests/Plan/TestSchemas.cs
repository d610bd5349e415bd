using Modernizer.Code.Plan;
using Modernizer.Code.Sql.Types;

namespace Modernizer.Code.Tests.Plan;

/// <summary>A small retail lake used by plan tests.</summary>
internal static class TestSchemas
{
    public static DictionarySchemaProvider Provider { get; } = new(new Dictionary<string, Schema>
    {
        ["sales.orders"] = Schema.Of(
            new SchemaColumn("order_id", SparkType.Long, false),
            new SchemaColumn("customer_id", SparkType.Long),
            new SchemaColumn("store_id", SparkType.Int),
            new SchemaColumn("amount", SparkType.Decimal(18, 2)),
            new SchemaColumn("qty", SparkType.Int),
            new SchemaColumn("order_date", SparkType.Date),
            new SchemaColumn("status", SparkType.String),
            new SchemaColumn("items", SparkType.Array(SparkType.String))),
        ["crm.customers"] = Schema.Of(
            new SchemaColumn("customer_id", SparkType.Long, false),
            new SchemaColumn("name", SparkType.String),
            new SchemaColumn("segment", SparkType.String)),
    });
}
