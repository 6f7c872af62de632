namespace System.IO
{
    /// <summary>A file on a storage drive (ESP32: the internal flash drive I:).</summary>
    public class FileStream : Stream
    {
        /// <summary>Opens <paramref name="path"/>.</summary>
        public FileStream(string path, FileMode mode, FileAccess access) => throw new NotSupportedException();

        /// <inheritdoc />
        public override long Length => throw new NotSupportedException();

        /// <inheritdoc />
        public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();

        /// <inheritdoc />
        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();

        /// <inheritdoc />
        public override void Flush() => throw new NotSupportedException();
    }
}
