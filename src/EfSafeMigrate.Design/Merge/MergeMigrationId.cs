using System.Globalization;

namespace EfSafeMigrate.Design.Merge;

/// <summary>
/// The id of a merge migration: EF Core's form (<c>yyyyMMddHHmmss_Name</c>, the UTC time, as
/// <c>IMigrationsIdGenerator</c> makes it), but at least one second later than the newest existing
/// migration, so that the merge migration sorts after both heads. EF Core orders migrations by id:
/// the merge migration is then the newest, and the model snapshot is its target model.
/// </summary>
internal static class MergeMigrationId
{
    private const string TimestampFormat = "yyyyMMddHHmmss";

    /// <summary>The id for a merge migration named <paramref name="name"/>.</summary>
    /// <param name="name">The migration's name (its class name).</param>
    /// <param name="existingIds">The ids of the context's migrations.</param>
    /// <param name="utcNow">The current UTC time.</param>
    /// <exception cref="MergeRefusedException">The newest id does not start with a timestamp and sorts after any id made now (<see cref="MergeRefusal.Unsupported"/>).</exception>
    public static string Create(string name, IEnumerable<string> existingIds, DateTime utcNow)
    {
        var newest = existingIds.Order(StringComparer.Ordinal).LastOrDefault();
        var time = new DateTime(utcNow.Ticks - (utcNow.Ticks % TimeSpan.TicksPerSecond), DateTimeKind.Utc);
        if (newest is not null && newest.Length >= TimestampFormat.Length
            && DateTime.TryParseExact(newest[..TimestampFormat.Length], TimestampFormat, CultureInfo.InvariantCulture,
                DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out var newestTime)
            && newestTime >= time)
        {
            time = newestTime.AddSeconds(1);
        }

        var id = time.ToString(TimestampFormat, CultureInfo.InvariantCulture) + "_" + name;
        if (newest is not null && string.CompareOrdinal(id, newest) <= 0)
        {
            throw new MergeRefusedException(MergeRefusal.Unsupported,
                $"Cannot make an id for the merge migration that sorts after the newest migration '{newest}' (its id does not start with a yyyyMMddHHmmss timestamp). " +
                "EF Core applies migrations in id order, so the merge migration must be the newest: rename that migration's id to EF Core's form, then run merge again.");
        }

        return id;
    }
}
