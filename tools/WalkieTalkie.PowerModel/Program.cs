using WalkieTalkie.PowerModel;

// Usage: WalkieTalkie.PowerModel <parameters.json>   (hardware/power-model.json)
if (args.Length != 1)
{
    Console.Error.WriteLine("usage: WalkieTalkie.PowerModel <parameters.json>");
    return 2;
}

try
{
    BatteryLifeReport.Write(PowerParametersFile.Load(args[0]), Console.Out);
    return 0;
}
catch (PowerModelException e)
{
    Console.Error.WriteLine("power model: " + e.Message);
    return 1;
}
