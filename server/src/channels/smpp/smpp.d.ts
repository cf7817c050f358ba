/**
 * The part of `smpp@0.5.1` (CommonJS, no types on npm) that Foad uses: sessions (ESME side via
 * `connect`, SMSC side via `createServer`), PDUs and the GSM 03.38 coder.
 */
declare module 'smpp' {
  import type { EventEmitter } from 'node:events';
  import type { Server as NetServer, Socket } from 'node:net';

  namespace smpp {
    /** A decoded `short_message` / `message_payload` when the library could read it. */
    interface DecodedMessage {
      /** Each information element of the UDH, as `[iei, length, ...data]`. */
      udh?: Buffer[];
      message: string | Buffer;
    }

    class PDU {
      constructor(command: string, options?: Record<string, unknown>);
      command: string;
      command_id: number;
      command_status: number;
      sequence_number: number;
      /** Mandatory parameters and TLVs by name (`source_addr`, `short_message`, `sar_msg_ref_num`, …). */
      [param: string]: unknown;
      isResponse(): boolean;
      response(options?: Record<string, unknown>): PDU;
      toBuffer(): Buffer;
    }

    class Session extends EventEmitter {
      socket: Socket;
      server?: Server;
      /** Sends a PDU; false when the socket is not writable. The callback gets the response. */
      send(pdu: PDU, responseCallback?: (response: PDU) => void, sendCallback?: (pdu: PDU) => void): boolean;
      close(callback?: () => void): void;
      destroy(callback?: () => void): void;
      pause(): void;
      resume(): void;
    }

    class Server extends NetServer {
      sessions: Session[];
    }

    interface ConnectOptions {
      host: string;
      port: number;
      auto_enquire_link_period?: number;
    }

    const gsmCoder: {
      encode(text: string, shift?: number): Buffer;
      decode(bytes: Buffer | number[], shift?: number): string;
    };

    function connect(options: ConnectOptions, listener?: () => void): Session;
    function createServer(options: Record<string, unknown>, listener?: (session: Session) => void): Server;
    function createServer(listener?: (session: Session) => void): Server;

    const errors: Record<string, number>;
  }

  export = smpp;
}
