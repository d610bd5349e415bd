using System.Text;
using Modernizer.Domain.Roles;

namespace Modernizer.Agents;

/// <summary>Role names as they appear in file names, traces and recordings (snake_case).</summary>
public static class RoleNames
{
    public static string Snake(RoleId role)
    {
        var name = role.ToString();
        var builder = new StringBuilder(name.Length + 4);
        for (var i = 0; i < name.Length; i++)
        {
            if (char.IsUpper(name[i]) && i > 0 && !char.IsUpper(name[i - 1]))
            {
                builder.Append('_');
            }

            builder.Append(char.ToLowerInvariant(name[i]));
        }

        return builder.ToString();
    }
}
