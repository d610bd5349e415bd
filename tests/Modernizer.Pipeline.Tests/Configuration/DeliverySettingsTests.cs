using Modernizer.Domain.Configuration;
using Modernizer.Pipeline.Configuration;

namespace Modernizer.Pipeline.Tests.Configuration;

/// <summary>The <c>delivery:</c> section (R4.2, R5.1): targets, repository, promotion, and errors that
/// name the key; tokens are refused in the file.</summary>
public sealed class DeliverySettingsTests
{
    private static (ModernizeSettings Settings, IReadOnlyList<ConfigError> Errors) Parse(string yaml, Dictionary<string, string>? environment = null) =>
        new SettingsLoader(environment ?? []).Parse(yaml, "modernize.yaml", null);

    [Fact]
    public void The_delivery_section_is_read_with_its_targets_and_promotion_rules()
    {
        var (settings, errors) = Parse("""
            delivery:
              bundle_per: batch
              default_timezone: America/New_York
              permissions:
                "group:finance-data": CAN_MANAGE
              targets:
                prod: {host: "https://adb-1.2.azuredatabricks.net", warehouse_id: abc123, token_variable: DBX_PROD_TOKEN}
              repository:
                url: git@github.example.com:retail/etl.git
                api_url: https://github.example.com/
                owner: retail
                name: etl
              promotion:
                shadow_runs: 3
                shadow_output_root: shadow
                approvals: {orders_daily_revenue: "ana (finance)"}
            """);

        Assert.Empty(errors);
        var delivery = settings.Delivery;
        Assert.Equal(BundleGrouping.Batch, delivery.BundlePer);
        Assert.Equal("CAN_MANAGE", delivery.Permissions["group:finance-data"]);
        Assert.Equal("abc123", delivery.Target("prod").WarehouseId);
        Assert.Equal("DBX_PROD_TOKEN", delivery.Target("prod").TokenVariable);
        Assert.False(delivery.Target("dev").IsConfigured);
        Assert.True(delivery.Repository.HasForge);
        Assert.Equal(3, delivery.Promotion.ShadowRuns);
        Assert.Equal("ana (finance)", delivery.Promotion.Approvals["orders_daily_revenue"]);
    }

    [Fact]
    public void Bad_delivery_values_are_reported_with_their_keys()
    {
        var (_, errors) = Parse("""
            delivery:
              bundle_per: folder
              default_timezone: Mars/Olympus
              permissions: {"group:x": CAN_EVERYTHING}
              targets:
                prod: {host: "https://h", token: dapi123}
              promotion:
                shadow_runs: 2
            """);

        Assert.Contains(errors, e => e.Key == "delivery.bundle_per");
        Assert.Contains(errors, e => e.Key == "delivery.default_timezone");
        Assert.Contains(errors, e => e.Key == "delivery.permissions.group:x");
        Assert.Contains(errors, e => e.Key == "delivery.targets.prod.token");
        Assert.Contains(errors, e => e.Key == "delivery.promotion.shadow_output_root");
    }
}
