using System.Globalization;

namespace Modernizer.Portfolio.Scanning;

/// <summary>Turns a schedule (5-field cron, Quartz cron, Airflow preset or timedelta, Lakeflow
/// periodic trigger) or a run cadence into a frequency word: hourly, daily, weekly, monthly,
/// "every N minutes", "every N hours", "every N days"; null when it cannot tell.</summary>
internal static class ScheduleFrequency
{
    public static string? FromSchedule(string? schedule)
    {
        if (string.IsNullOrWhiteSpace(schedule))
        {
            return null;
        }

        var s = schedule.Trim();
        switch (s.ToLowerInvariant())
        {
            case "@hourly": return "hourly";
            case "@daily" or "@midnight": return "daily";
            case "@weekly": return "weekly";
            case "@monthly": return "monthly";
            case "@yearly" or "@annually": return "yearly";
            case "@once": return "once";
        }

        if (s.StartsWith("every ", StringComparison.OrdinalIgnoreCase))
        {
            var parts = s.Split(' ', StringSplitOptions.RemoveEmptyEntries);
            if (parts.Length == 3 && int.TryParse(parts[1], NumberStyles.Integer, CultureInfo.InvariantCulture, out var n))
            {
                var unit = parts[2].TrimEnd('s').ToLowerInvariant();
                return Every(n, unit);
            }

            return null;
        }

        if (TimeSpan.TryParse(s, CultureInfo.InvariantCulture, out var span) && span > TimeSpan.Zero)
        {
            return FromInterval(span.TotalSeconds);
        }

        var fields = s.Split(' ', StringSplitOptions.RemoveEmptyEntries);
        if (fields.Length is 6 or 7)
        {
            fields = fields[1..6]; // Quartz: seconds first, optional year last
        }

        if (fields.Length != 5)
        {
            return null;
        }

        var (minute, hour, dayOfMonth, dayOfWeek) = (fields[0], fields[1], fields[2], fields[4]);
        if (minute.StartsWith("*/", StringComparison.Ordinal) || minute.StartsWith("0/", StringComparison.Ordinal))
        {
            return int.TryParse(minute[2..], NumberStyles.Integer, CultureInfo.InvariantCulture, out var m) ? Every(m, "minute") : null;
        }

        if (minute == "*")
        {
            return "every 1 minutes";
        }

        if (hour == "*")
        {
            return "hourly";
        }

        if (hour.StartsWith("*/", StringComparison.Ordinal) || hour.StartsWith("0/", StringComparison.Ordinal))
        {
            return int.TryParse(hour[2..], NumberStyles.Integer, CultureInfo.InvariantCulture, out var h) ? Every(h, "hour") : null;
        }

        var anyDay = dayOfMonth is "*" or "?";
        var anyWeekday = dayOfWeek is "*" or "?";
        return (anyDay, anyWeekday) switch
        {
            (true, true) => hour.Contains(',', StringComparison.Ordinal) ? $"{hour.Split(',').Length} times a day" : "daily",
            (true, false) => dayOfWeek.Contains('-', StringComparison.Ordinal) || dayOfWeek.Contains(',', StringComparison.Ordinal) ? "daily (some weekdays)" : "weekly",
            _ => "monthly",
        };
    }

    /// <summary>A frequency from the median interval between run starts, when it is close to a
    /// calendar unit (within 15%), else "every N minutes/hours/days".</summary>
    public static string FromInterval(double seconds)
    {
        static bool Near(double value, double unit) => Math.Abs(value - unit) <= 0.15 * unit;
        if (Near(seconds, 3600))
        {
            return "hourly";
        }

        if (Near(seconds, 86400))
        {
            return "daily";
        }

        if (Near(seconds, 7 * 86400))
        {
            return "weekly";
        }

        if (seconds >= 27 * 86400 && seconds <= 32 * 86400)
        {
            return "monthly";
        }

        return seconds switch
        {
            < 3600 => Every((int)Math.Max(1, Math.Round(seconds / 60)), "minute"),
            < 86400 => Every((int)Math.Round(seconds / 3600), "hour"),
            _ => Every((int)Math.Round(seconds / 86400), "day"),
        };
    }

    private static string Every(int n, string unit) => (n, unit) switch
    {
        (1, "hour") => "hourly",
        (1, "day") => "daily",
        (1, "week") => "weekly",
        (60, "minute") => "hourly",
        (24, "hour") => "daily",
        _ => $"every {n.ToString(CultureInfo.InvariantCulture)} {unit}s",
    };
}
