namespace System.Threading
{
    /// <summary>Produces a <see cref="CancellationToken"/> and cancels it, now or after a delay.</summary>
    public class CancellationTokenSource : IDisposable
    {
        /// <summary>A source that cancels only when told to.</summary>
        public CancellationTokenSource() => throw new NotSupportedException();

        /// <summary>A source that cancels itself after the delay.</summary>
        /// <param name="millisecondsDelay">Delay in milliseconds.</param>
        public CancellationTokenSource(int millisecondsDelay) => throw new NotSupportedException();

        /// <summary>A source that cancels itself after the delay.</summary>
        public CancellationTokenSource(TimeSpan delay) => throw new NotSupportedException();

        /// <summary>The token this source cancels.</summary>
        public CancellationToken Token => throw new NotSupportedException();

        /// <summary>Whether cancellation was requested.</summary>
        public bool IsCancellationRequested => throw new NotSupportedException();

        /// <summary>Requests cancellation.</summary>
        public void Cancel() => throw new NotSupportedException();

        /// <summary>Requests cancellation after the delay.</summary>
        public void CancelAfter(int millisecondsDelay) => throw new NotSupportedException();

        /// <summary>Releases the source's resources.</summary>
        public void Dispose()
        {
        }
    }
}
