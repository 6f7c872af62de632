using WalkieTalkie.Protocol.Control;

namespace WalkieTalkie.Badge.Machine
{
    /// <summary>
    /// Permits a parent or admin offers on a channel (<c>permit-offer</c>): the latest offer waits until the wearer
    /// accepts it with a long press (<c>permit-accept</c>), or the gateway revokes it.
    /// </summary>
    public sealed class PermitOffers
    {
        private readonly GatewayLink _link;
        private readonly IBadgeObserver _observer;
        private readonly PermitAccept _accept = new PermitAccept();
        private byte _channel;
        private byte _permits;

        public PermitOffers(GatewayLink link, IBadgeObserver observer)
        {
            _link = link;
            _observer = observer;
        }

        /// <summary>True while an offer waits to be accepted.</summary>
        public bool IsPending
        {
            get { return _permits != 0; }
        }

        /// <summary>A new offer replaces the one waiting.</summary>
        public void Offered(PermitOffer offer)
        {
            _channel = offer.Channel;
            _permits = offer.Permits;
            _observer.Event(BadgeEvent.PermitOffered, offer.Channel, 0, offer.Permits);
        }

        /// <summary>The gateway withdrew permits: an offer for that channel can no longer be accepted.</summary>
        public void Revoked(PermitRevoked revoked)
        {
            if (revoked.Channel == _channel)
            {
                _permits = 0;
            }

            _observer.Event(BadgeEvent.PermitRevoked, revoked.Channel, 0, revoked.Permits);
        }

        /// <summary>Accepts the waiting offer with <c>permit-accept</c>; false when none waits.</summary>
        public bool Accept()
        {
            if (_permits == 0)
            {
                return false;
            }

            _accept.Channel = _channel;
            _accept.Permits = _permits;
            _link.PublishControl(_accept);
            _observer.Event(BadgeEvent.PermitAccepted, _channel, 0, _permits);
            _permits = 0;
            return true;
        }
    }
}
