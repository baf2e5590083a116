namespace EfSafeMigrate.Tool.Hosting;

/// <summary>
/// Hands connection strings from the outer process to the inner one without putting them on the
/// inner process's command line (which every local user can read in <c>/proc/&lt;pid&gt;/cmdline</c>
/// or <c>ps</c>). The values of <c>--connection</c> and <c>--also-connection</c> (forms
/// <c>--opt VALUE</c>, <c>--opt=VALUE</c>, <c>--opt:VALUE</c>) are moved into the inner process's
/// environment — <c>SAFE_MIGRATE_CONNECTION</c>, then <c>SAFE_MIGRATE_CONNECTION_2</c>, ... —
/// which only the same user (and root) can read (<c>/proc/&lt;pid&gt;/environ</c> is mode 0400), and
/// replaced on the command line by a placeholder <c>@env:&lt;NAME&gt;</c>. The inner process puts the
/// values back into its in-memory arguments (<see cref="Restore"/>) and removes the variables from
/// its environment, so that its own children (pg_dump, git) do not inherit them.
/// </summary>
internal static class ConnectionHandOver
{
    /// <summary>The environment variable of the first handed-over value; later ones get <c>_2</c>, <c>_3</c>, ...</summary>
    public const string Variable = "SAFE_MIGRATE_CONNECTION";

    /// <summary>What stands in for a value on the command line: this prefix and the variable's name.</summary>
    public const string Placeholder = "@env:";

    /// <summary>The options whose values are connection strings.</summary>
    public static readonly IReadOnlyList<string> Options = ["--connection", "--also-connection"];

    /// <summary>
    /// The arguments for the inner command line, with every connection string replaced by a
    /// placeholder, and the environment variables that carry the values.
    /// </summary>
    /// <param name="arguments">The user's arguments, as given.</param>
    public static (IReadOnlyList<string> Arguments, IReadOnlyDictionary<string, string> Environment) Hide(IReadOnlyList<string> arguments)
    {
        var result = new List<string>(arguments.Count);
        var environment = new Dictionary<string, string>(StringComparer.Ordinal);
        for (var i = 0; i < arguments.Count; i++)
        {
            var argument = arguments[i];
            if (argument == "--")
            {
                result.AddRange(arguments.Skip(i));
                break;
            }

            var option = Options.FirstOrDefault(o => argument == o || argument.StartsWith(o + "=", StringComparison.Ordinal) || argument.StartsWith(o + ":", StringComparison.Ordinal));
            if (option is null)
            {
                result.Add(argument);
                continue;
            }

            string value;
            if (argument == option)
            {
                if (i + 1 >= arguments.Count)
                {
                    result.Add(argument); // the parser reports the missing value
                    continue;
                }

                value = arguments[++i];
            }
            else
            {
                value = argument[(option.Length + 1)..];
            }

            var name = environment.Count == 0 ? Variable : $"{Variable}_{environment.Count + 1}";
            environment[name] = value;
            result.Add(option);
            result.Add(Placeholder + name);
        }

        return (result, environment);
    }

    /// <summary>
    /// In the inner process: the arguments with each placeholder replaced by its variable's value;
    /// the variables are removed from this process's environment. A placeholder whose variable is
    /// missing stays as it is (and then fails as a malformed connection string, never silently).
    /// </summary>
    public static string[] Restore(string[] arguments)
    {
        var restored = (string[])arguments.Clone();
        for (var i = 0; i < restored.Length; i++)
        {
            if (!restored[i].StartsWith(Placeholder + Variable, StringComparison.Ordinal))
            {
                continue;
            }

            var name = restored[i][Placeholder.Length..];
            if (System.Environment.GetEnvironmentVariable(name) is { } value)
            {
                restored[i] = value;
            }
        }

        foreach (var name in restored.Length == 0 ? [] : Enumerable.Range(1, restored.Length).Select(n => n == 1 ? Variable : $"{Variable}_{n}"))
        {
            System.Environment.SetEnvironmentVariable(name, null);
        }

        return restored;
    }
}
