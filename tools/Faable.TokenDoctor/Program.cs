using Faable.TokenDoctor;

return await TokenDoctorCommand.RunAsync(args, Console.In, Console.Out, Console.Error, null, CancellationToken.None).ConfigureAwait(false);
