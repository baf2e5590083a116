namespace EfSafeMigrate.Integrity;

/// <summary>A model snapshot file (<c>&lt;Context&gt;ModelSnapshot.cs</c>) found in source.</summary>
/// <param name="Path">The file's path.</param>
/// <param name="Context">Short name of its DbContext; null when not given.</param>
/// <param name="ConflictMarkerLines">1-based lines holding git conflict markers (<c>&lt;&lt;&lt;&lt;&lt;&lt;&lt;</c>, <c>=======</c>, <c>&gt;&gt;&gt;&gt;&gt;&gt;&gt;</c>), in order.</param>
internal sealed record ModelSnapshotSource(string Path, string? Context, IReadOnlyList<int> ConflictMarkerLines);
