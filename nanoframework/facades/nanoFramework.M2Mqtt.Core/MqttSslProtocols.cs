namespace nanoFramework.M2Mqtt
{
    /// <summary>TLS version of the broker connection; only None, TLSv1_2 and TLSv1_3 are accepted.</summary>
    public enum MqttSslProtocols
    {
        /// <summary>No TLS.</summary>
        None,

        /// <summary>Rejected.</summary>
        SSLv3,

        /// <summary>Rejected.</summary>
        TLSv1_0,

        /// <summary>Rejected.</summary>
        TLSv1_1,

        /// <summary>TLS 1.2.</summary>
        TLSv1_2,

        /// <summary>TLS 1.3.</summary>
        TLSv1_3,
    }
}
