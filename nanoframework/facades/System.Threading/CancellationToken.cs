namespace System.Threading
{
    /// <summary>Tells an operation that it should stop (nanoFramework's System.Threading, not mscorlib).</summary>
    public struct CancellationToken
    {
        /// <summary>A token that is never cancelled.</summary>
        public static CancellationToken None => default;

        /// <summary>Whether cancellation was requested.</summary>
        public bool IsCancellationRequested => throw new NotSupportedException();

        /// <summary>Whether this token can ever be cancelled.</summary>
        public bool CanBeCanceled => throw new NotSupportedException();

        /// <summary>Throws if cancellation was requested.</summary>
        public void ThrowIfCancellationRequested() => throw new NotSupportedException();
    }
}
