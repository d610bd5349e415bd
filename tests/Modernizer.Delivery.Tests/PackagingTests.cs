using System.Text.Json.Nodes;
using Modernizer.Delivery.Packaging;

namespace Modernizer.Delivery.Tests;

public sealed class PackagingTests
{
    [Theory]
    [InlineData("30 2 * * 1-5", "0 30 2 ? * 2-6")]
    [InlineData("0 6 * * 0", "0 0 6 ? * 1")]
    [InlineData("0 6 * * 7", "0 0 6 ? * 1")]
    [InlineData("*/15 * * * *", "0 */15 * * * ?")]
    [InlineData("0 3 1 * *", "0 0 3 1 * ?")]
    [InlineData("@daily", "0 0 0 * * ?")]
    [InlineData("0 0 6 ? * MON", "0 0 6 ? * MON")]
    public void Cron_becomes_quartz_in_the_same_time_zone(string cron, string quartz)
    {
        var converted = QuartzConverter.Convert(cron, "America/New_York");
        Assert.Equal(quartz, converted.Expression);
        Assert.Equal("America/New_York", converted.TimeZone);
    }

    [Fact]
    public void Cron_restricting_both_days_is_refused()
    {
        var error = Assert.Throws<DeliveryException>(() => QuartzConverter.Convert("0 0 1 * 1", "UTC"));
        Assert.Contains("Quartz cannot express", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void The_bundle_schema_refuses_a_misspelt_field_and_a_bad_level()
    {
        var bundle = new JsonObject
        {
            ["bundle"] = new JsonObject { ["name"] = "b" },
            ["resources"] = new JsonObject
            {
                ["jobs"] = new JsonObject
                {
                    ["j"] = new JsonObject
                    {
                        ["name"] = "j",
                        ["schedul"] = new JsonObject(),
                        ["tasks"] = new JsonArray(new JsonObject { ["task_key"] = "t", ["sql_task"] = new JsonObject { ["warehouse_id"] = "w", ["file"] = new JsonObject { ["path"] = "./a.sql" } } }),
                        ["permissions"] = new JsonArray(new JsonObject { ["level"] = "CAN_EVERYTHING", ["group_name"] = "g" }),
                    },
                },
            },
            ["targets"] = new JsonObject(),
        };
        var errors = BundleSchema.Validate(bundle);
        Assert.Contains(errors, e => e.Contains("schedul", StringComparison.Ordinal));
        Assert.Contains(errors, e => e.StartsWith("resources.jobs.j.permissions.0.level", StringComparison.Ordinal));
    }
}
