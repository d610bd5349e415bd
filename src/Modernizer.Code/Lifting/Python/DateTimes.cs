using System.Collections.Immutable;
using System.Globalization;
using Modernizer.Code.Python;
using Modernizer.Code.Sql.Syntax;
using Modernizer.Code.Sql.Types;

namespace Modernizer.Code.Lifting.Python;

/// <summary>The datetime module. Concrete values compute as Python does; values from parameters or rows
/// become SQL: strptime → a naive timestamp, .date() → a date, fromtimestamp → the wall clock of the
/// driver's zone (SEMANTICS: the legacy driver's local time zone decides the date).</summary>
internal static class DateTimes
{
    public static PyValue Module(DriverInterpreter interpreter) => new PyObject("module datetime", attr => attr switch
    {
        "datetime" => DateTimeClass(interpreter),
        "date" => DateClass(interpreter),
        "timedelta" => new PyBuiltin("timedelta", a => TimeDelta(interpreter, a)),
        "timezone" => new PyObject("timezone", tz => tz == "utc" ? new PyTimeZone("UTC") : null),
        _ => null,
    });

    private static PyValue DateTimeClass(DriverInterpreter interpreter) => new PyObject("datetime", attr => attr switch
    {
        "strptime" => new PyBuiltin("datetime.strptime", a => StrPTime(interpreter, a)),
        "now" or "utcnow" or "today" => new PyBuiltin("datetime." + attr, a => new PyUnknown($"datetime.{attr}() (the time of the run)", a.Site.Line)),
        "fromtimestamp" => new PyBuiltin("datetime.fromtimestamp", a => FromTimestamp(interpreter, a)),
        "fromisoformat" => new PyBuiltin("datetime.fromisoformat", a => a.Arg(0) is PyStr s
            ? new PyDateTime(DateTime.Parse(s.Value, CultureInfo.InvariantCulture, DateTimeStyles.RoundtripKind), null)
            : throw interpreter.Refuse("datetime.fromisoformat of a value known only at run time", a.Site)),
        _ => null,
    });

    private static PyValue DateClass(DriverInterpreter interpreter) => new PyBuiltin("date", a =>
        a.Positional.Length == 3 && a.Positional.All(p => p is PyInt)
            ? new PyDate(new DateOnly((int)((PyInt)a.Positional[0]).Value, (int)((PyInt)a.Positional[1]).Value, (int)((PyInt)a.Positional[2]).Value))
            : throw interpreter.Refuse("date() of values known only at run time", a.Site));

    private static PyValue TimeDelta(DriverInterpreter interpreter, CallArguments a)
    {
        double Part(string name, int index) => (a.Arg(index, name) ?? DriverInterpreter.Int(0)) switch
        {
            PyInt i => (double)i.Value,
            PyFloat f => f.Value,
            _ => throw interpreter.Refuse("timedelta() of values known only at run time", a.Site),
        };

        return new PyTimeDelta(TimeSpan.FromDays(Part("days", 0)) + TimeSpan.FromSeconds(Part("seconds", 1)) + TimeSpan.FromTicks((long)(Part("microseconds", 2) * 10))
            + TimeSpan.FromMilliseconds(Part("milliseconds", 3)) + TimeSpan.FromMinutes(Part("minutes", 4)) + TimeSpan.FromHours(Part("hours", 5)) + TimeSpan.FromDays(7 * Part("weeks", 6)));
    }

    private static PyValue StrPTime(DriverInterpreter interpreter, CallArguments a)
    {
        var format = a.Arg(1) is PyStr f ? f.Value : throw interpreter.Refuse("strptime with a format known only at run time", a.Site);
        switch (a.Arg(0))
        {
            case PyStr s:
                var parsed = DateTime.ParseExact(s.Value, ToDotNet(format, interpreter, a.Site), CultureInfo.InvariantCulture, DateTimeStyles.None);
                return new PyDateTime(parsed, null);
            case SqlScalar { Kind: PyKind.Str } scalar:
                var known = scalar.Known is PyStr k && DateTime.TryParseExact(k.Value, ToDotNet(format, interpreter, a.Site), CultureInfo.InvariantCulture, DateTimeStyles.None, out var value) ? new PyDateTime(value, null) : null;
                interpreter.Translation.Assume(new RewriteAssumption("parameter-format", $"Parameters parsed with strptime('{format}') are well-formed; Python raises on a malformed value where the SQL gives NULL.", 0.9, null, null, interpreter.File, interpreter.LineOf(a.Site)));
                return new SqlScalar(new FunctionCall("py_strptime", [scalar.Sql, Literal.Of(format)]), PyKind.DateTime, scalar.Nullable) { Known = known };
            default:
                throw interpreter.Refuse("strptime of a non-string", a.Site);
        }
    }

    private static string ToDotNet(string format, DriverInterpreter interpreter, PyNode site) =>
        format.Replace("%Y", "yyyy", StringComparison.Ordinal).Replace("%m", "MM", StringComparison.Ordinal).Replace("%d", "dd", StringComparison.Ordinal)
            .Replace("%H", "HH", StringComparison.Ordinal).Replace("%M", "mm", StringComparison.Ordinal).Replace("%S", "ss", StringComparison.Ordinal)
            .Replace("%f", "ffffff", StringComparison.Ordinal) is var converted && !converted.Contains('%', StringComparison.Ordinal)
            ? converted
            : throw interpreter.Refuse($"the strptime format '{format}'", site);

    /// <summary>datetime.fromtimestamp(epoch): the wall clock of the driver's zone, naive.</summary>
    private static PyValue FromTimestamp(DriverInterpreter interpreter, CallArguments a)
    {
        var zone = interpreter.Settings.DriverTimeZone;
        interpreter.Translation.Assume(new RewriteAssumption("driver-time-zone", $"datetime.fromtimestamp() uses the legacy driver's local time zone, {zone} (configured: rewrite.driver_time_zone).", 0.85, "UTC", "rewrite.driver_time_zone", interpreter.File, interpreter.LineOf(a.Site)));
        switch (a.Arg(0))
        {
            case PyInt or PyFloat:
                var seconds = Numbers.AsDouble(a.Arg(0)!);
                var utc = DateTime.UnixEpoch.AddTicks((long)Math.Round(seconds * TimeSpan.TicksPerSecond));
                return new PyDateTime(TimeZoneInfo.ConvertTimeFromUtc(utc, TimeZoneInfo.FindSystemTimeZoneById(zone)), null);
            case SqlScalar { Sql: FunctionCall { Name: "py_epoch_seconds" } call } epochOfInstant:
                // fromtimestamp(aware.timestamp()): the same instant on the driver's wall clock.
                return new SqlScalar(new FunctionCall("py_local_datetime", [call.Args[0], Literal.Of(zone)]), PyKind.DateTime, epochOfInstant.Nullable);
            case SqlScalar { Kind: PyKind.Int or PyKind.Float } scalar:
                var epoch = scalar.Nullable ? PySemantics.RaiseWhen(new IsNull(scalar.Sql, false), "TypeError: 'NoneType' object cannot be interpreted as a timestamp", scalar.Sql) : scalar.Sql;
                return new SqlScalar(new FunctionCall("py_local_datetime", [new FunctionCall("py_epoch_instant", [new Cast(epoch, SparkType.Double)]), Literal.Of(zone)]), PyKind.DateTime, false);
            default:
                throw interpreter.Refuse("datetime.fromtimestamp of this value", a.Site);
        }
    }

    public static PyValue? Attribute(DriverInterpreter interpreter, PyValue owner, string name, PyNode site)
    {
        PyBuiltin Method(Func<CallArguments, PyValue> body) => new($"{owner.TypeName}.{name}", body);
        switch (owner)
        {
            case PyDate date:
                return name switch
                {
                    "year" => DriverInterpreter.Int(date.Value.Year),
                    "month" => DriverInterpreter.Int(date.Value.Month),
                    "day" => DriverInterpreter.Int(date.Value.Day),
                    "isoformat" => Method(_ => new PyStr(date.Value.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture))),
                    "strftime" => Method(a => new PyStr(date.Value.ToDateTime(TimeOnly.MinValue).ToString(ToDotNet(((PyStr)a.Arg(0)!).Value, interpreter, a.Site), CultureInfo.InvariantCulture))),
                    "weekday" => Method(_ => DriverInterpreter.Int(((int)date.Value.DayOfWeek + 6) % 7)),
                    _ => null,
                };
            case PyDateTime moment:
                return name switch
                {
                    "date" => Method(_ => new PyDate(DateOnly.FromDateTime(moment.Value))),
                    "year" => DriverInterpreter.Int(moment.Value.Year),
                    "month" => DriverInterpreter.Int(moment.Value.Month),
                    "day" => DriverInterpreter.Int(moment.Value.Day),
                    "replace" => Method(a => a.Keywords.TryGetValue("tzinfo", out var tz) && tz is PyTimeZone zone ? moment with { Zone = TimeZoneInfo.FindSystemTimeZoneById(zone.Name) } : throw interpreter.Refuse("datetime.replace other than tzinfo", a.Site)),
                    "timestamp" => Method(_ => new PyFloat((moment.Zone is null
                        ? TimeZoneInfo.ConvertTimeToUtc(moment.Value, TimeZoneInfo.FindSystemTimeZoneById(interpreter.Settings.DriverTimeZone))
                        : TimeZoneInfo.ConvertTimeToUtc(DateTime.SpecifyKind(moment.Value, DateTimeKind.Unspecified), moment.Zone)).Subtract(DateTime.UnixEpoch).TotalSeconds)),
                    "isoformat" => Method(_ => new PyStr(moment.Value.ToString("yyyy-MM-ddTHH:mm:ss", CultureInfo.InvariantCulture))),
                    "strftime" => Method(a => new PyStr(moment.Value.ToString(ToDotNet(((PyStr)a.Arg(0)!).Value, interpreter, a.Site), CultureInfo.InvariantCulture))),
                    _ => null,
                };
            case PyTimeDelta delta:
                return name switch
                {
                    "days" => DriverInterpreter.Int((long)Math.Floor(delta.Value.TotalDays)),
                    "seconds" => DriverInterpreter.Int((long)(delta.Value - TimeSpan.FromDays(Math.Floor(delta.Value.TotalDays))).TotalSeconds),
                    "total_seconds" => Method(_ => new PyFloat(delta.Value.TotalSeconds)),
                    _ => null,
                };
            case SqlScalar { Kind: PyKind.Date } date:
                Expr Part(string function) => new FunctionCall(function, [date.Sql]);
                return name switch
                {
                    "year" => new SqlScalar(Part("year"), PyKind.Int, date.Nullable),
                    "month" => new SqlScalar(Part("month"), PyKind.Int, date.Nullable),
                    "day" => new SqlScalar(Part("day"), PyKind.Int, date.Nullable),
                    "isoformat" => Method(_ => new SqlScalar(new Cast(date.Sql, SparkType.String), PyKind.Str, date.Nullable)),
                    _ => null,
                };
            case SqlScalar { Kind: PyKind.TimeDelta } delta when name == "days":
                return delta with { Kind = PyKind.Int };
            case SqlScalar { Kind: PyKind.DateTime } moment:
                return name switch
                {
                    "date" => Method(_ => new SqlScalar(new Cast(moment.Sql, SparkType.Date), PyKind.Date, moment.Nullable) { Known = moment.Known is PyDateTime k ? new PyDate(DateOnly.FromDateTime(k.Value)) : null }),
                    "replace" => Method(a => a.Keywords.TryGetValue("tzinfo", out var tz) && tz is PyTimeZone zone
                        ? moment with { Sql = new FunctionCall("py_aware", [moment.Sql, Literal.Of(zone.Name)]) }
                        : throw interpreter.Refuse("datetime.replace other than tzinfo on a value known only at run time", a.Site)),
                    "timestamp" => Method(a => moment.Sql is FunctionCall { Name: "py_aware" }
                        ? new SqlScalar(new FunctionCall("py_epoch_seconds", [moment.Sql]), PyKind.Float, moment.Nullable)
                        : throw interpreter.Refuse(".timestamp() of a naive datetime known only at run time", a.Site)),
                    _ => null,
                };
            default:
                return null;
        }
    }
}

internal sealed record PyTimeZone(string Name) : PyValue
{
    public override string TypeName => "timezone";
}
