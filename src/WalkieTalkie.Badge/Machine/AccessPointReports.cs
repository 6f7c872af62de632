using WalkieTalkie.Badge.Hardware;
using WalkieTalkie.Protocol.Control;

namespace WalkieTalkie.Badge.Machine
{
    /// <summary>
    /// Tells the gateway which access point the badge is on (<c>access-point</c>) whenever that changes, and once
    /// after each connect; the gateway maps it to a zone where the site turned zones on. Nothing is allocated per check.
    /// </summary>
    public sealed class AccessPointReports
    {
        private readonly IAccessPointInfo _accessPoint;
        private readonly GatewayLink _link;
        private readonly AccessPoint _message = new AccessPoint();
        private readonly byte[] _current = new byte[BssidFormat.Length];
        private bool _sent;

        /// <summary>Reports what <paramref name="accessPoint"/> (the firmware's Wi-Fi adapter) knows; with none (null) nothing is reported.</summary>
        public AccessPointReports(IAccessPointInfo accessPoint, GatewayLink link)
        {
            _accessPoint = accessPoint;
            _link = link;
        }

        /// <summary>A new connection: the access point is reported again at the next check.</summary>
        public void Clear()
        {
            _sent = false;
        }

        /// <summary>Reports the access point if it is known and is not the one reported last; true when it sent.</summary>
        public bool Check()
        {
            if (_accessPoint == null || !_accessPoint.TryGetBssid(_current))
            {
                return false;
            }

            if (_sent && SameAsSent())
            {
                return false;
            }

            for (var i = 0; i < _current.Length; i++)
            {
                _message.Bssid[i] = _current[i];
            }

            var rssi = _link.Rssi;
            _message.Rssi = (sbyte)(rssi > 0 ? 0 : rssi < -128 ? -128 : rssi);
            _link.PublishControl(_message);
            _sent = true;
            return true;
        }

        private bool SameAsSent()
        {
            for (var i = 0; i < _current.Length; i++)
            {
                if (_current[i] != _message.Bssid[i])
                {
                    return false;
                }
            }

            return true;
        }
    }
}
