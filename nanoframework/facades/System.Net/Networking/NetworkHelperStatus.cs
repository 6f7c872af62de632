namespace nanoFramework.Networking
{
    /// <summary>Where the network helpers are in bringing the network up.</summary>
    public enum NetworkHelperStatus
    {
        /// <summary>Not started.</summary>
        None,

        /// <summary>Started, waiting for the network.</summary>
        Started,

        /// <summary>Connected, with an address (and the time, when asked for).</summary>
        NetworkIsReady,

        /// <summary>No network interface.</summary>
        FailedNoNetworkInterface,

        /// <summary>The token expired before an IP address came.</summary>
        TokenExpiredWaitingIPAddress,

        /// <summary>The token expired before the time was set.</summary>
        TokenExpiredWaitingDateTime,

        /// <summary>Connecting while scanning failed (the real name has this spelling).</summary>
        ErrorConnetingToWiFiWhileScanning,

        /// <summary>An exception occurred; see the helper's HelperException.</summary>
        ExceptionOccurred,

        /// <summary>Reconnecting.</summary>
        Reconnecting,
    }
}
