using System.Text.RegularExpressions;
using Spectre.Console.Cli;

namespace Modernizer.Cli.Infrastructure;

/// <summary>Rewords the command-line parser's conversion errors ("Failed to convert 'abc' to
/// Nullable`1") as what the user typed and what the option expects, naming the option.</summary>
internal static partial class ArgumentErrors
{
    public static string Describe(CommandAppException error, IReadOnlyList<string> args)
    {
        ArgumentNullException.ThrowIfNull(error);
        var match = ConversionFailed().Match(error.Message);
        if (!match.Success)
        {
            return error.Message;
        }

        var value = match.Groups["value"].Value;
        var expected = Expected(error.InnerException, match.Groups["type"].Value);
        var option = OptionOf(args, value);
        return option is null
            ? $"'{value}' is not {expected}"
            : $"{option} expects {expected}; '{value}' is not one";
    }

    private static string Expected(Exception? inner, string type)
    {
        var text = type + " " + inner?.Message + " " + inner?.InnerException?.Message;
        return text switch
        {
            _ when text.Contains("Int32", StringComparison.Ordinal) || text.Contains("Int64", StringComparison.Ordinal) => "a whole number",
            _ when text.Contains("Double", StringComparison.Ordinal) || text.Contains("Decimal", StringComparison.Ordinal) => "a number",
            _ when text.Contains("Boolean", StringComparison.Ordinal) => "true or false",
            _ => "a value of another kind",
        };
    }

    /// <summary>The option the value was given to: <c>--name value</c> or <c>--name=value</c>.</summary>
    private static string? OptionOf(IReadOnlyList<string> args, string value)
    {
        for (var i = 0; i < args.Count; i++)
        {
            if (args[i].StartsWith('-') && args[i].EndsWith("=" + value, StringComparison.Ordinal))
            {
                return args[i][..args[i].IndexOf('=', StringComparison.Ordinal)];
            }

            if (i > 0 && args[i] == value && args[i - 1].StartsWith('-'))
            {
                return args[i - 1];
            }
        }

        return null;
    }

    [GeneratedRegex(@"^Failed to convert '(?<value>.*)' to (?<type>[^.]+)\.", RegexOptions.Singleline)]
    private static partial Regex ConversionFailed();
}
