namespace EfSafeMigrate.Backups;

/// <summary>
/// Creates files and folders that only their owner can read: backup archives hold a whole
/// database, so they are never world- or group-readable, not even while they are written.
/// On Windows the modes do not apply and the folder's inherited ACL is used.
/// </summary>
internal static class PrivateFiles
{
    /// <summary>Unix mode 0600 (owner read and write).</summary>
    public const UnixFileMode FileMode0600 = UnixFileMode.UserRead | UnixFileMode.UserWrite;

    /// <summary>Unix mode 0700 (owner read, write and search).</summary>
    public const UnixFileMode FolderMode0700 = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute;

    /// <summary>
    /// Creates <paramref name="path"/> as a new, empty file with mode 0600 and opens it for writing.
    /// The mode is given to the <c>open(2)</c> call itself, so the file is never readable by others.
    /// </summary>
    /// <exception cref="IOException">The file already exists, or the folder is missing or not a folder.</exception>
    /// <exception cref="UnauthorizedAccessException">The folder is not writable.</exception>
    public static FileStream CreateNew(string path)
    {
        var options = new FileStreamOptions
        {
            Mode = FileMode.CreateNew,
            Access = FileAccess.Write,
            Share = FileShare.None,
        };
        if (!OperatingSystem.IsWindows())
        {
            options.UnixCreateMode = FileMode0600;
        }
        return new FileStream(path, options);
    }

    /// <summary>
    /// Creates <paramref name="path"/> as a new, empty file with mode 0600 and keeps it open, shared: other processes may
    /// write, read, rename and delete it (pg_dump writes the archive through its own handle), but while this stream is open
    /// the file cannot be opened exclusively (<see cref="FileShare.None"/>; on Unix .NET takes a shared <c>flock</c> here and
    /// an exclusive one there). <see cref="IsHeld"/> tells whether some process still holds it; a killed process holds nothing.
    /// </summary>
    /// <exception cref="IOException">The file already exists, or the folder is missing or not a folder.</exception>
    /// <exception cref="UnauthorizedAccessException">The folder is not writable.</exception>
    public static FileStream CreateNewHeld(string path)
    {
        var options = new FileStreamOptions
        {
            Mode = FileMode.CreateNew,
            Access = FileAccess.Write,
            Share = FileShare.ReadWrite | FileShare.Delete,
        };
        if (!OperatingSystem.IsWindows())
        {
            options.UnixCreateMode = FileMode0600;
        }
        return new FileStream(path, options);
    }

    /// <summary>
    /// Whether a process holds <paramref name="path"/> open through <see cref="CreateNewHeld"/> (or any handle that
    /// denies exclusive access): tries to open it exclusively and closes it at once.
    /// </summary>
    /// <returns><c>false</c> when it could be opened exclusively (or no longer exists).</returns>
    public static bool IsHeld(string path)
    {
        try
        {
            using var probe = new FileStream(path, FileMode.Open, FileAccess.ReadWrite, FileShare.None);
            return false;
        }
        catch (FileNotFoundException)
        {
            return false;
        }
        catch (IOException)
        {
            return true;
        }
    }

    /// <summary>
    /// Creates <paramref name="folder"/> (and missing parents) with mode 0700 when it does not exist;
    /// an existing folder keeps its mode.
    /// </summary>
    /// <returns><c>true</c> when the folder was created, <c>false</c> when it already existed.</returns>
    /// <exception cref="IOException">A path component is a file, or the folder cannot be created.</exception>
    /// <exception cref="UnauthorizedAccessException">A parent folder is not writable.</exception>
    public static bool EnsureFolder(string folder)
    {
        if (Directory.Exists(folder))
        {
            return false;
        }
        if (OperatingSystem.IsWindows())
        {
            Directory.CreateDirectory(folder);
        }
        else
        {
            Directory.CreateDirectory(folder, FolderMode0700);
        }
        return true;
    }

    /// <summary>Deletes a file if it exists; never throws (used to clean up after a failure).</summary>
    /// <returns><c>true</c> when the file is gone afterwards.</returns>
    public static bool TryDelete(string? path)
    {
        if (path is null)
        {
            return true;
        }
        try
        {
            File.Delete(path);
            return true;
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return !File.Exists(path);
        }
    }
}
