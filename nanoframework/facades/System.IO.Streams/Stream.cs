namespace System.IO
{
    /// <summary>A sequence of bytes (the base of FileStream).</summary>
    public abstract class Stream : IDisposable
    {
        /// <summary>The length in bytes.</summary>
        public abstract long Length { get; }

        /// <summary>Reads up to <paramref name="count"/> bytes; returns how many were read (0 at the end).</summary>
        public abstract int Read(byte[] buffer, int offset, int count);

        /// <summary>Writes <paramref name="count"/> bytes.</summary>
        public abstract void Write(byte[] buffer, int offset, int count);

        /// <summary>Writes what is buffered.</summary>
        public abstract void Flush();

        /// <summary>Closes the stream.</summary>
        public void Dispose()
        {
        }
    }
}
