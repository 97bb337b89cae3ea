// Prints a TCP port free on 127.0.0.1 now (the system picks it), for a server started next.
import net from 'node:net';

const server = net.createServer();
server.listen(0, '127.0.0.1', () => {
  console.log(server.address().port);
  server.close();
});
