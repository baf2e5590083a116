namespace EfSafeMigrate.EndToEndTests.Infrastructure;

/// <summary>
/// An exclusive lock on a file, held across processes (several test processes may pack and build
/// the same projects at the same time). On Linux, FileShare.None takes a flock on the file.
/// </summary>
public sealed class CrossProcessLock : IDisposable
{
    private readonly FileStream _stream;

    private CrossProcessLock(FileStream stream) => _stream = stream;

    public static CrossProcessLock Acquire(string path, TimeSpan timeout)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        var deadline = DateTime.UtcNow + timeout;
        while (true)
        {
            try
            {
                return new CrossProcessLock(new FileStream(path, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None));
            }
            catch (IOException) when (DateTime.UtcNow < deadline)
            {
                Thread.Sleep(500);
            }
        }
    }

    public void Dispose() => _stream.Dispose();
}
