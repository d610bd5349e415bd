using System.Globalization;
using Cronos;

namespace Modernizer.Delivery.Packaging;

/// <summary>A schedule as Databricks Jobs take it: a Quartz cron expression in a Java time zone id.</summary>
public sealed record QuartzSchedule(string Expression, string TimeZone, string Source);

/// <summary>Converts a legacy schedule into Quartz syntax in the same time zone. Five-field cron
/// (Airflow, crontab) gains a seconds field, one of day-of-month / day-of-week becomes <c>?</c>, and
/// day-of-week numbers move from cron's 0-7 (Sunday 0 or 7) to Quartz's 1-7 (Sunday 1). Quartz input is
/// kept. Each conversion is checked: Cronos (reading the legacy expression) and Quartz (reading ours)
/// must agree on the next fire times over a year, or the conversion is refused.</summary>
public static class QuartzConverter
{
    private static readonly Dictionary<string, string> Macros = new(StringComparer.OrdinalIgnoreCase)
    {
        ["@yearly"] = "0 0 1 1 *",
        ["@annually"] = "0 0 1 1 *",
        ["@monthly"] = "0 0 1 * *",
        ["@weekly"] = "0 0 * * 0",
        ["@daily"] = "0 0 * * *",
        ["@midnight"] = "0 0 * * *",
        ["@hourly"] = "0 * * * *",
    };

    public static QuartzSchedule Convert(string schedule, string timeZone)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(schedule);
        ArgumentException.ThrowIfNullOrWhiteSpace(timeZone);
        if (!TimeZoneInfo.TryFindSystemTimeZoneById(timeZone, out var zone))
        {
            throw new DeliveryException($"schedule time zone '{timeZone}' is not a known time zone id");
        }

        var text = Macros.TryGetValue(schedule.Trim(), out var expanded) ? expanded : schedule.Trim();
        var fields = text.Split(' ', StringSplitOptions.RemoveEmptyEntries);
        string quartz;
        if (fields.Length == 5)
        {
            quartz = FromCron(fields, schedule);
            Verify(text, quartz, zone, schedule);
        }
        else if (fields.Length is 6 or 7)
        {
            if (!Quartz.CronExpression.TryParse(text, out _))
            {
                throw new DeliveryException($"schedule '{schedule}' is neither a five-field cron nor a valid Quartz expression");
            }

            quartz = text;
        }
        else
        {
            throw new DeliveryException($"schedule '{schedule}' is not a cron expression (five fields, or Quartz's six or seven)");
        }

        return new QuartzSchedule(quartz, timeZone, schedule);
    }

    private static string FromCron(string[] f, string original)
    {
        var (minute, hour, dom, month, dow) = (f[0], f[1], f[2], f[3], f[4]);
        var domAny = dom is "*" or "?";
        var dowAny = dow is "*" or "?";
        if (!domAny && !dowAny)
        {
            // cron fires when either field matches; Quartz cannot say "or" between the two.
            throw new DeliveryException($"schedule '{original}' restricts both day of month and day of week (cron fires on either); Quartz cannot express that: give the job two schedules or one of the two");
        }

        return dowAny
            ? $"0 {minute} {hour} {(domAny ? "*" : dom)} {month} ?"
            : $"0 {minute} {hour} ? {month} {DayOfWeek(dow, original)}";
    }

    /// <summary>cron 0-7 (0 and 7 are Sunday) → Quartz 1-7 (1 is Sunday); names are the same in both.</summary>
    private static string DayOfWeek(string field, string original)
    {
        return string.Join(',', field.Split(',').Select(Part));

        string Part(string part)
        {
            var step = part.Split('/');
            var range = step[0] == "*" ? "*" : string.Join('-', step[0].Split('-').Select(Day));
            return step.Length == 2 ? (range == "*" ? "1" : range) + "/" + step[1] : range;
        }

        string Day(string day)
        {
            if (!int.TryParse(day, NumberStyles.None, CultureInfo.InvariantCulture, out var n))
            {
                return day.ToUpperInvariant();
            }

            return n is >= 0 and <= 7
                ? ((n % 7) + 1).ToString(CultureInfo.InvariantCulture)
                : throw new DeliveryException($"schedule '{original}': day of week {day} is outside 0-7");
        }
    }

    private static void Verify(string cron, string quartz, TimeZoneInfo zone, string original)
    {
        CronExpression source;
        try
        {
            source = CronExpression.Parse(cron);
        }
        catch (CronFormatException e)
        {
            throw new DeliveryException($"schedule '{original}' is not a valid cron expression: {e.Message}", e);
        }

        var target = new Quartz.CronExpression(quartz, zone);
        var from = new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);
        var expected = source.GetOccurrences(from, from.AddYears(1), zone, fromInclusive: false).Take(400).ToList();
        var actual = new List<DateTimeOffset>();
        var cursor = from;
        while (actual.Count < expected.Count && target.GetNextValidTimeAfter(cursor) is { } next)
        {
            actual.Add(next);
            cursor = next;
        }

        for (var i = 0; i < expected.Count; i++)
        {
            if (i >= actual.Count || expected[i].UtcDateTime != actual[i].UtcDateTime)
            {
                throw new DeliveryException(string.Create(CultureInfo.InvariantCulture,
                    $"schedule '{original}' converted to Quartz '{quartz}' fires differently ({expected[i]:u} expected, {(i < actual.Count ? actual[i].ToString("u", CultureInfo.InvariantCulture) : "nothing")} from Quartz): not converted"));
            }
        }
    }
}
