global using PermitBits = WalkieTalkie.Protocol.Control.Permits;
