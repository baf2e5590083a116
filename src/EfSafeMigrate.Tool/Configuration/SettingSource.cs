namespace EfSafeMigrate.Tool.Configuration;

/// <summary>Where an effective setting came from, in the order the layers override each other.</summary>
internal enum SettingOrigin
{
    /// <summary>The tool's built-in default.</summary>
    Default,

    /// <summary>A <c>safe-migrate.json</c> file.</summary>
    File,

    /// <summary>An environment variable (<c>SAFE_MIGRATE_*</c>).</summary>
    Environment,

    /// <summary>An option on the command line.</summary>
    CommandLine,
}

/// <summary>Where one setting's value came from.</summary>
/// <param name="Origin">The layer.</param>
/// <param name="Name">The file's full path, the environment variable's name or the option (<c>--backup-dir</c>); null for a default.</param>
/// <param name="Line">For a file, the 1-based line of the key; 0 otherwise.</param>
internal sealed record SettingSource(SettingOrigin Origin, string? Name = null, int Line = 0)
{
    /// <summary>The built-in default.</summary>
    public static readonly SettingSource Default = new(SettingOrigin.Default);

    /// <summary>For people: <c>default</c>, <c>/repo/safe-migrate.json:7</c>, <c>env SAFE_MIGRATE_BACKUP_DIR</c>, <c>--backup-dir</c>.</summary>
    public string Describe() => Origin switch
    {
        SettingOrigin.File => Line > 0 ? $"{Name}:{Line}" : Name!,
        SettingOrigin.Environment => $"env {Name}",
        SettingOrigin.CommandLine => Name!,
        _ => "default",
    };
}

/// <summary>One effective setting: its key, its value (null when it has none) and where that came from.</summary>
/// <param name="Definition">What the setting is.</param>
/// <param name="Value">The value as text (paths made absolute, numbers in invariant culture; connection strings unmasked: mask before printing).</param>
/// <param name="Source">Where the value came from.</param>
internal sealed record Setting(SettingDefinition Definition, string? Value, SettingSource Source)
{
    /// <summary>The key in <c>safe-migrate.json</c> (dotted: <c>backup.dir</c>).</summary>
    public string Key => Definition.Key;
}
